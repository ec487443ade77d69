import { createHash, randomBytes } from 'node:crypto'
import { AppError } from '../../errors'
import type { Id } from '../ids'
import type { EmailRenderer } from '../notifications/ports'
import { EMAIL_KINDS } from '../notifications/email-kinds'

/** A mentor from outside the university, in a pool a course uses: whom a sign-in link can be for. */
export interface SignInTarget { mentorId: Id, poolId: Id, name: string, email: string, course: { id: Id, title: string, issuer: string, clientId: string, deploymentId: string } }

export interface SignInLink { mentorId: Id, poolId: Id, courseId: Id, expiresAt: Date }

export interface EmailSignInDeps {
  /** Active external mentors with this address, one per course whose pool lists them. */
  targets: (email: string) => Promise<SignInTarget[]>
  /** The target a link still signs into (null when the mentor was deactivated or the course left the pool). */
  target: (link: SignInLink) => Promise<SignInTarget | null>
  links: {
    create: (tokenHash: string, link: SignInLink) => Promise<void>
    /** The link, used up by this call; null when unknown, expired or used before. */
    consume: (tokenHash: string, at: Date) => Promise<SignInLink | null>
  }
  /** One more attempt under `key` in the current window; false once `limit` were made. */
  attempt: (key: string, limit: number, windowMs: number) => Promise<boolean>
  /** Queues one email that answers the person's own request (no unsubscribe) and wakes the sender. */
  send: (courseId: Id, to: string, subject: string, text: string, html: string) => Promise<void>
  renderer: EmailRenderer
  /** The user an external mentor signs in as (made on first use), and a session for them that lasts `days`. */
  userOf: (target: SignInTarget) => Promise<Id>
  session: (userId: Id, courseId: Id, days: number) => Promise<string>
  publicUrl: string
  linkMinutes: number
  sessionDays: number
}

export const SIGN_IN_PATH = '/sign-in'
const hashOf = (token: string): string => createHash('sha256').update(token).digest('hex')
const WINDOW_MS = 15 * 60_000
const PER_ADDRESS = 3
const PER_CLIENT = 20

/**
 * Sign-in by email link for external mentors: they give their address, and if it belongs to an active external
 * mentor of a course, a link per course goes there. The answer is the same either way; links are single-use, short-
 * lived and stored only as their hash; asking is limited per address and per client.
 */
export function createEmailSignIn (deps: EmailSignInDeps) {
  return {
    request: async (rawEmail: string, client: string): Promise<void> => {
      const email = rawEmail.trim().toLowerCase()
      if (!await deps.attempt(`sign-in:client:${client}`, PER_CLIENT, WINDOW_MS) || !await deps.attempt(`sign-in:address:${email}`, PER_ADDRESS, WINDOW_MS)) {
        throw new AppError('TOO_MANY_REQUESTS', 429, 'Too many sign-in links were asked for. Wait 15 minutes, then ask again.')
      }
      const targets = await deps.targets(email)
      if (targets.length === 0) return
      const expiresAt = new Date(Date.now() + deps.linkMinutes * 60_000)
      const courses = await Promise.all(targets.map(async (t) => {
        const token = randomBytes(32).toString('base64url')
        await deps.links.create(hashOf(token), { mentorId: t.mentorId, poolId: t.poolId, courseId: t.course.id, expiresAt })
        return { title: t.course.title, url: `${deps.publicUrl}${SIGN_IN_PATH}/link?token=${token}` }
      }))
      const first = targets[0] as SignInTarget
      const subject = 'Your link to sign in to Mentorlink'
      const { text, html } = deps.renderer.render('sign-in', {
        subject, name: first.name, courses, many: courses.length > 1, minutes: deps.linkMinutes,
        course: courses.map((c) => c.title).join(', '), link: courses[0]?.url, linkLabel: 'Sign in to Mentorlink', kindLabel: EMAIL_KINDS['sign-in'].label
      })
      await deps.send(first.course.id, first.email, subject, text, html)
    },

    /** Uses a link up: a session for its course, and how long it lasts. */
    consume: async (token: string): Promise<{ session: string, maxAgeSeconds: number }> => {
      const link = await deps.links.consume(hashOf(token), new Date())
      const target = link === null ? null : await deps.target(link)
      if (link === null || target === null) {
        throw new AppError('SIGN_IN_LINK_INVALID', 410, 'This sign-in link has expired or was used already. Ask for a new one below: it arrives in a minute.')
      }
      const userId = await deps.userOf(target)
      return { session: await deps.session(userId, link.courseId, deps.sessionDays), maxAgeSeconds: deps.sessionDays * 24 * 3600 }
    }
  }
}

export type EmailSignIn = ReturnType<typeof createEmailSignIn>
