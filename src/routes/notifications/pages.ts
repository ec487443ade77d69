import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { EMAIL_KINDS, isEmailKind, kindLabel } from '../../domain/notifications/email-kinds'
import type { MailPreferences } from '../../domain/notifications/ports'
import { UNSUBSCRIBE_PATH, type UnsubscribeSigner } from '../../domain/notifications/unsubscribe'
import { MENTOR_COOKIE } from '../../auth/require-session'
import { Errors } from '../../errors'

export interface NotificationPageOptions {
  preferences: Pick<MailPreferences, 'modes' | 'choose'>
  signer: Pick<UnsubscribeSigner, 'verify'>
  courseTitle: (courseId: string) => Promise<string | null>
  /** The course an external mentor's sign-in cookie is for, when it is a live mentor session. */
  signedInMentorCourse: (token: string) => Promise<string | null>
}

const GoParams = z.object({ courseId: z.string().regex(/^[a-f0-9]{24}$/, 'is not a course of Mentorlink'), role: z.enum(['student', 'mentor', 'instructor']) })
/** The page of Mentorlink the email is about; anything else is ignored rather than followed. */
const GoQuery = z.object({ to: z.string().max(200).regex(/^\/(student|mentor|instructor|notifications)(\/[A-Za-z0-9/_-]*)?$/).optional().catch(undefined) })

const UnsubscribeQuery = z.object({
  a: z.email({ error: 'The link is incomplete: copy all of it from the email.' }).max(320),
  k: z.string().max(40).refine(isEmailKind, 'The link is incomplete: copy all of it from the email.'),
  s: z.string().min(1, 'The link is incomplete: copy all of it from the email.').max(100)
})
/** Where in Mentorlink an email's page is, in the words of its navigation. */
const PLACES: Record<string, string> = {
  '/student/activities': 'My record', '/student/field-trips': 'Field trips', '/student/intake': 'Intake',
  '/mentor/verifications': 'Verifications', '/mentor/mentees': 'Mentees', '/instructor/at-risk': 'Activities, then pairs at risk',
  '/notifications': 'Notifications'
}

/** RFC 8058's POST body is `List-Unsubscribe=One-Click`; the page's buttons send `choice`. */
const UnsubscribeBody = z.object({ 'List-Unsubscribe': z.string().max(40).optional(), choice: z.enum(['off', 'on']).optional() }).optional()

/**
 * The unsubscribe link of every email: GET shows what it will do and a button (a link scanner that opens it turns
 * nothing off); POST turns that kind of email off for the address, as the mail client's one-click button does.
 */
export const notificationPageRoutes: FastifyPluginAsync<NotificationPageOptions> = async (app, { preferences, signer, courseTitle, signedInMentorCourse }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const checked = (query: z.infer<typeof UnsubscribeQuery>) => {
    if (!signer.verify(query.a, query.k, query.s)) throw Errors.badRequest('This unsubscribe link is not valid: copy all of it from the email.')
    return { address: query.a, kind: query.k as keyof typeof EMAIL_KINDS }
  }
  const view = (address: string, kind: keyof typeof EMAIL_KINDS, off: boolean, action: string, changed: boolean) => ({
    title: off ? 'Unsubscribed' : changed ? 'Subscribed again' : 'Stop these emails', address, label: kindLabel(kind), off, action, changed
  })

  api.get(UNSUBSCRIBE_PATH, { schema: { hide: true, querystring: UnsubscribeQuery } }, async (request, reply) => {
    const { address, kind } = checked(request.query)
    const off = (await preferences.modes(kind, [address.toLowerCase()])).get(address.toLowerCase()) === 'off'
    return await reply.header('cache-control', 'no-store').view('pages/email-unsubscribe', view(address, kind, off, request.url, false))
  })

  api.post(UNSUBSCRIBE_PATH, { schema: { hide: true, querystring: UnsubscribeQuery, body: UnsubscribeBody } }, async (request, reply) => {
    const { address, kind } = checked(request.query)
    const on = request.body?.choice === 'on'
    await preferences.choose(address.toLowerCase(), kind, on ? null : 'off')
    return await reply.header('cache-control', 'no-store').view('pages/email-unsubscribe', view(address, kind, !on, request.url, true))
  })

  /**
   * Where the link of an email lands. An external mentor signed in on this browser goes straight to the page the email
   * is about; everyone else opens Mentorlink from the course page of the LMS, which signs them in, and the page says so.
   */
  api.get('/go/:courseId/:role', { schema: { hide: true, params: GoParams, querystring: GoQuery } }, async (request, reply) => {
    const { courseId, role } = request.params
    const cookie = request.cookies[MENTOR_COOKIE]
    if (role === 'mentor' && cookie !== undefined && await signedInMentorCourse(cookie) === courseId) {
      const to = request.query.to?.startsWith('/mentor') === true || request.query.to === '/notifications' ? request.query.to : '/mentor'
      return await reply.redirect(to, 303)
    }
    const title = await courseTitle(courseId)
    if (title === null) throw Errors.notFound('Course')
    return await reply.view('pages/go', { title: `Open Mentorlink · ${title}`, courseTitle: title, mentor: role === 'mentor', there: PLACES[request.query.to ?? ''] })
  })
}
