import { LRUCache } from 'lru-cache'
import type { CourseRole } from '../domain/launch/roles'

/** Whether someone still takes part in a course in a role (persistence/repositories/taking-part.repository.ts). */
export type TakesPartIn = (courseId: string, userId: string, role: CourseRole) => Promise<boolean>

export interface SessionStandingOptions {
  takesPart: TakesPartIn
  /** How long a process trusts what it read; 0 reads on every request. */
  ttlSeconds: number
  max?: number
}

const keyOf = (courseId: string, userId: string, role: CourseRole): string => `${courseId}:${userId}:${role}`
const ROLES: readonly CourseRole[] = ['instructor', 'mentor', 'student']

/**
 * Whether a session still holds: the LMS (a roster sync, a launch in another role) or the pool may have taken the
 * person out of the course, or changed their role, since they launched. Each process remembers the answer for a short
 * while, so a signed-in request reads nothing for it most of the time: a change made in another process is seen here
 * within `ttlSeconds`, one this process made (a launch, a roster sync) at once.
 */
export function createSessionStanding ({ takesPart, ttlSeconds, max = 50_000 }: SessionStandingOptions) {
  // Promises, so concurrent requests of one person share one read; a failed read is not kept.
  const known = ttlSeconds > 0 ? new LRUCache<string, Promise<boolean>>({ max, ttl: ttlSeconds * 1000 }) : null
  return {
    holds: async (courseId: string, userId: string, role: CourseRole): Promise<boolean> => {
      const key = keyOf(courseId, userId, role)
      const cached = known?.get(key)
      if (cached !== undefined) return await cached
      const read = takesPart(courseId, userId, role)
      known?.set(key, read)
      read.catch(() => { if (known?.get(key) === read) known.delete(key) })
      return await read
    },
    /** A launch just made the person an active member in `role` (and in no other). */
    launched: (courseId: string, userId: string, role: CourseRole): void => {
      if (known === null) return
      for (const other of ROLES) known.delete(keyOf(courseId, userId, other))
      known.set(keyOf(courseId, userId, role), Promise.resolve(true))
    },
    /** The course's memberships changed in this process (a roster sync): read them again. */
    forgetCourse: (courseId: string): void => {
      if (known === null) return
      const prefix = `${courseId}:`
      for (const key of [...known.keys()]) if (key.startsWith(prefix)) known.delete(key)
    }
  }
}

export type SessionStanding = ReturnType<typeof createSessionStanding>
