import { createHash } from 'node:crypto'
import { jwtVerify, SignJWT } from 'jose'
import { LRUCache } from 'lru-cache'
import type { Types } from 'mongoose'
import type { Id } from '../domain/ids'
import type { CourseRole } from '../domain/launch/roles'
import { objectIdString } from '../http/schemas'
import { retryWhenBusy } from '../persistence/busy'
import { retryOnDuplicateKey } from '../persistence/duplicate-key'
import type { Models } from '../persistence/database'
import type { CourseDoc } from '../persistence/models/course.model'
import type { UserDoc } from '../persistence/models/user.model'
import { toObjectId } from '../persistence/ids'

/** A user as a launch wrote them (users change only when they launch, which opens a new session). */
export type SessionUser = UserDoc & { _id: Types.ObjectId }
export type SessionCourse = CourseDoc & { _id: Types.ObjectId }

export interface SessionOptions { secret: string, ttlSeconds: number }

/**
 * Sessions live in the database; the browser holds only a signed token naming one, carried in links, forms and
 * Authorization headers, so pages work inside an LMS iframe that blocks third-party cookies. One session per user,
 * course and role, renewed by each launch: the collection stays as large as the courses' memberships however often
 * people launch (FerretDB's lookups by _id slow down as a collection grows). The id is derived, not secret: tokens
 * are signed.
 */
const sessionIdOf = (userId: string, courseId: string, role: CourseRole): string =>
  createHash('sha256').update(`${userId}:${courseId}:${role}`).digest('hex').slice(0, 24)

/** A session as pages use it; `landingCourse` on the request right after the launch that wrote it. */
export interface ResolvedSession {
  userId: Types.ObjectId
  courseId: Types.ObjectId
  role: CourseRole
  expiresAt: Date
  user?: SessionUser | null
  /** The zone the person's browser reported in this session (kept across launches), for people whose LMS sends none. */
  browserTimeZone?: string | null
  /** How many times the session was ended (signed out): tokens issued before the last end no longer name it. */
  generation?: number | null
  landingCourse?: SessionCourse
}

/** How long the page a launch lands on may use the session the launch just wrote instead of reading it back. */
const LANDING_MS = 15_000

export function createSessionService ({ sessions }: Pick<Models, 'sessions'>, options: SessionOptions) {
  const key = new TextEncoder().encode(options.secret)
  /**
   * Sessions this process wrote in the last moments, with the course as the launch had just written it, each kept for
   * one request: the landing page right after a launch then reads neither back. Any later request, or one that
   * reaches another instance, reads the database.
   */
  const landing = new LRUCache<string, { session: ResolvedSession, course?: SessionCourse }>({ max: 10_000, ttl: LANDING_MS })
  const claimsOf = async (token: string): Promise<{ sid: string, generation: number } | null> => {
    try {
      const { payload: { sid, gen } } = await jwtVerify(token, key, { algorithms: ['HS256'] })
      return objectIdString.safeParse(sid).success ? { sid: String(sid), generation: typeof gen === 'number' ? gen : 0 } : null
    } catch {
      return null
    }
  }
  const sidOf = async (token: string): Promise<string | null> => (await claimsOf(token))?.sid ?? null
  /** A token issued before the session was last ended names a session its holder left: it stays ended. */
  const current = (session: ResolvedSession, generation: number): boolean => (session.generation ?? 0) === generation
  return {
    /**
     * Also the pool code's `SessionIssuer`, which names users and courses by domain id. `user`: the user document as
     * the caller just wrote it, kept with the session so no page reads it again; `course`: the course as the caller
     * just wrote it, for the page the caller sends the user to next.
     */
    create: async (userId: Id | Types.ObjectId, courseId: Id | Types.ObjectId, role: CourseRole, user?: SessionUser, course?: SessionCourse, ttlSeconds = options.ttlSeconds): Promise<string> => {
      const expiresAt = new Date(Date.now() + ttlSeconds * 1000)
      const sid = sessionIdOf(String(userId), String(courseId), role)
      const fields = { userId: toObjectId(userId), courseId: toObjectId(courseId), role, expiresAt, ...(user !== undefined ? { user } : {}) }
      // The same person launching twice at once (two tabs): the upsert that lost the insert updates the winner's document.
      // It answers the browser's zone from an earlier launch, so the landing page shows times in it without a read.
      const written = await retryOnDuplicateKey(async () => await retryWhenBusy(async () =>
        await sessions.findOneAndUpdate({ _id: sid }, { $set: fields }, { upsert: true, new: true }).lean()))
      const browserTimeZone = written?.browserTimeZone ?? null
      const generation = written?.generation ?? 0
      landing.set(sid, { session: { ...fields, browserTimeZone, generation }, ...(course !== undefined ? { course } : {}) })
      return await new SignJWT({ sid, gen: generation })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuedAt()
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(key)
    },
    /** Keeps the zone the browser reported; false when the token names no session. */
    rememberBrowserZone: async (token: string, zone: string): Promise<boolean> => {
      const sid = await sidOf(token)
      if (sid === null) return false
      const { matchedCount } = await retryWhenBusy(async () => await sessions.updateOne({ _id: sid }, { $set: { browserTimeZone: zone } }))
      return matchedCount > 0
    },
    /**
     * Ends the session a token names, on every device that holds a token issued for it so far. The document stays
     * (until it expires) with its generation counted up, so those tokens stay dead when the person launches again and
     * the launch renews the same document; the launch's new token carries the new generation. `$max`: a stale token
     * signing out never brings back a generation ended before.
     */
    end: async (token: string): Promise<void> => {
      const claims = await claimsOf(token)
      if (claims === null) return
      landing.delete(claims.sid)
      await retryWhenBusy(async () => await sessions.updateOne({ _id: claims.sid }, { $max: { generation: claims.generation + 1 } }))
    },
    resolve: async (token: string): Promise<ResolvedSession | null> => {
      const claims = await claimsOf(token)
      if (claims === null) return null
      const landed = landing.get(claims.sid)
      if (landed !== undefined && current(landed.session, claims.generation)) {
        landing.delete(claims.sid)
        return { ...landed.session, ...(landed.course !== undefined ? { landingCourse: landed.course } : {}) }
      }
      // By `_id` alone, the one filter FerretDB answers from its index (any other condition scans every session).
      const session = await sessions.findById(claims.sid).lean() as ResolvedSession | null
      return session !== null && session.expiresAt > new Date() && current(session, claims.generation) ? session : null
    }
  }
}

export type SessionService = ReturnType<typeof createSessionService>
