import { Errors } from '../../errors'
import { sameId, type Id } from '../ids'
import { fieldErrorsOf, PoolFieldError } from './field-errors'
import { DEFAULT_CAPACITY, MentorCreate } from './mentor-fields'
import type { PoolService } from './pool-service'
import type { LmsMember, MentorRepository, PoolCourse, PoolRepository } from './ports'

export type Suggestion = LmsMember

/**
 * Course members the LMS gave the Mentor role, offered to the instructor rather than added: Canvas also sends
 * parents and observers as Mentor. Accepted ones become pool mentors linked to their LMS user.
 */
export function createLmsSuggestions (deps: { pools: PoolRepository, mentors: MentorRepository, poolService: PoolService }) {
  const list = async (course: PoolCourse): Promise<Suggestion[]> => {
    const pool = await deps.pools.ensureForCourse(course)
    const [members, linked] = await Promise.all([deps.pools.lmsMentorsOf(course.id), deps.mentors.findLinkedUsers(pool.id)])
    const skip = new Set([...linked, ...pool.dismissedUserIds])
    return members.filter((u) => !skip.has(u.userId))
  }
  const mustFind = async (course: PoolCourse, userId: Id): Promise<Suggestion> => {
    const found = (await list(course)).find((s) => sameId(s.userId, userId))
    if (!found) throw Errors.notFound('Suggested mentor')
    return found
  }
  return {
    list,
    /** `email` is used only when the LMS shared none; the instructor completes the rest of the profile afterwards. */
    accept: async (course: PoolCourse, userId: Id, email?: string) => {
      const s = await mustFind(course, userId)
      const parsed = MentorCreate.safeParse({ name: s.name || s.email || 'LMS mentor', email: s.email || (email ?? ''), capacity: DEFAULT_CAPACITY })
      if (!parsed.success) throw new PoolFieldError(400, fieldErrorsOf(parsed.error))
      return await deps.poolService.add(course, parsed.data, { source: 'lms', userId: s.userId })
    },
    dismiss: async (course: PoolCourse, userId: Id): Promise<Suggestion> => {
      const s = await mustFind(course, userId)
      await deps.pools.dismissUser(await deps.poolService.poolIdOf(course), s.userId)
      return s
    }
  }
}

export type LmsSuggestions = ReturnType<typeof createLmsSuggestions>
