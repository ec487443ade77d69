import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler, RouteOptions } from 'fastify'
import type { Types } from 'mongoose'
import type { CourseRole } from '../domain/launch/roles'
import { courseZoneOf } from '../domain/term/term'
import { viewerZone, type TimeZone, type ViewerZone } from '../domain/time/zones'
import { AppError, Errors } from '../errors'
import type { CourseDoc } from '../persistence/models/course.model'
import type { UserDoc } from '../persistence/models/user.model'
import type { TenancyRepository } from '../persistence/repositories/tenancy.repository'
import type { SessionService } from './session-service'
import type { SessionStanding } from './session-standing'

export interface Auth {
  token: string
  role: CourseRole
  user: UserDoc & { _id: Types.ObjectId }
  course: CourseDoc & { _id: Types.ObjectId }
  /** The zone this person sees times in, and where it came from (the page names it). */
  zone: ViewerZone
  /** Notifications not read yet, for the navigation of a page (left out for API calls). */
  unread?: number
}

/** Counts a signed-in person's unread notifications. */
export type UnreadCounter = (auth: Pick<Auth, 'role' | 'user' | 'course'>) => Promise<number>

declare module 'fastify' {
  interface FastifyRequest { auth?: Auth }
}

/**
 * The first-party cookie of an external mentor who signed in by email: they use Mentorlink at its own address, not
 * in an LMS frame, so a cookie keeps them signed in (launches carry their session in the URL or a header instead).
 */
export const MENTOR_COOKIE = 'mentorlink_mentor'

function tokenOf (request: FastifyRequest): string | undefined {
  const header = request.headers.authorization
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length)
  const fromQuery = (request.query as Record<string, unknown> | undefined)?.session
  if (typeof fromQuery === 'string') return fromQuery
  const fromBody = (request.body as Record<string, unknown> | undefined)?.session
  if (typeof fromBody === 'string') return fromBody
  return request.cookies?.[MENTOR_COOKIE]
}

/** Launched people come back through their course; external mentors (sessions without a launch's user) by email. */
const sessionEnded = (courseTitle: string, launched: boolean): AppError => new AppError('SESSION_ENDED', 401,
  `Your place in ${courseTitle} has changed since you signed in (you left the course, or your role in it changed), so this session has ended. ` +
  (launched ? 'Open Mentorlink from your course in the learning platform again.' : 'Sign in again with your email address if you still mentor in it.'))

/**
 * Builds preHandlers that admit a signed-in launch with one of the given roles and attach it as `request.auth`, with
 * the count of unread notifications when a page is asked for. A session whose person no longer takes part in the
 * course in its role (`standing`) is ended.
 */
export function createRequireRole (sessions: SessionService, tenancy: TenancyRepository, { standing, unreadOf, institutionZone = 'UTC' }: { standing: SessionStanding, unreadOf?: UnreadCounter, institutionZone?: TimeZone }) {
  const userOf = async (session: { userId: Types.ObjectId, user?: unknown }) =>
    session.user !== undefined && session.user !== null ? session.user as Auth['user'] : await tenancy.findUser(session.userId)
  return (...roles: CourseRole[]): preHandlerAsyncHookHandler => authenticates(roles, async (request: FastifyRequest, reply: FastifyReply) => {
    // What a signed-in person sees is theirs alone: no browser or proxy keeps it (pages carry the session in their URL).
    reply.header('cache-control', 'no-store')
    const token = tokenOf(request)
    if (!token) throw Errors.unauthorized()
    const session = await sessions.resolve(token)
    if (!session) throw Errors.unauthorized('Your session has ended (you signed out, or it ran out): open Mentorlink from your course again')
    if (!roles.includes(session.role)) throw Errors.forbidden()
    const [user, course, holds] = await Promise.all([
      userOf(session), session.landingCourse ?? tenancy.findCourse(session.courseId), standing.holds(String(session.courseId), String(session.userId), session.role)
    ])
    if (!user || !course) throw Errors.unauthorized()
    if (!holds) {
      await sessions.end(token)
      throw sessionEnded(course.title, session.user !== undefined && session.user !== null)
    }
    const zone = viewerZone({ launch: user.timeZone, browser: session.browserTimeZone, course: courseZoneOf(course) }, institutionZone)
    request.auth = { token, role: session.role, user, course, zone }
    if (unreadOf !== undefined && request.method === 'GET' && (request.headers.accept ?? '').includes('text/html')) request.auth.unread = await unreadOf(request.auth)
  })
}

/** Marks a hook as `requireRole`'s, with the roles it admits. */
const AUTHENTICATES = Symbol('authenticates')
const authenticates = (roles: readonly CourseRole[], hook: preHandlerAsyncHookHandler): preHandlerAsyncHookHandler => Object.assign(hook, { [AUTHENTICATES]: roles })
const rolesOf = (hook: unknown): readonly CourseRole[] | undefined =>
  typeof hook === 'function' ? (hook as unknown as Record<symbol, readonly CourseRole[] | undefined>)[AUTHENTICATES] : undefined
const isAuthentication = (hook: unknown): boolean => rolesOf(hook) !== undefined

/**
 * The roles a route admits when it requires a signed-in session (its `requireRole` hooks, before or after
 * `authenticateBeforeValidation` moved them), or undefined when anyone may call it. The API docs read it.
 */
export function sessionRolesOf (route: Pick<RouteOptions, 'preHandler' | 'preValidation'>): readonly CourseRole[] | undefined {
  const marked = [route.preValidation ?? [], route.preHandler ?? []].flat().map(rolesOf).filter((r) => r !== undefined)
  // Every hook must admit the caller: a role passes only if each of them lists it.
  return marked.length === 0 ? undefined : marked.reduce((all, roles) => all.filter((r) => roles.includes(r)))
}

/**
 * Routes name `requireRole(…)` as a preHandler; this moves it before validation, so a request without a session is
 * answered 401, never 400 with the details of a schema it may not see. (The body is parsed by then: forms carry the
 * session in it.) Register before the routes.
 */
export function authenticateBeforeValidation (app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const hooks = [route.preHandler ?? []].flat()
    const auth = hooks.filter(isAuthentication)
    if (auth.length === 0) return
    route.preHandler = hooks.filter((h) => !isAuthentication(h))
    route.preValidation = [...auth, ...[route.preValidation ?? []].flat()] as typeof route.preValidation
  })
}

/** The launch `requireRole` attached: routes behind it read it here rather than casting the optional `request.auth`. */
export function authOf (request: FastifyRequest): Auth {
  if (request.auth === undefined) throw Errors.unauthorized()
  return request.auth
}

export type RequireRole = ReturnType<typeof createRequireRole>
