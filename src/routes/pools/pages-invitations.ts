import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf } from '../../auth/require-session'
import { INVITE_PATH } from '../../domain/pools/invitations'
import { dayLabel } from '../../http/date-labels'
import { FormBody, redirectWithNotice } from '../../http/forms'
import { IdParams } from '../../http/schemas'
import { withSession } from '../../http/view-helpers'
import { pageContext } from '../../http/page-context'
import type { PoolApiOptions } from './api'
import { poolCourseOf } from './pool-course'

const Token = z.string({ error: 'is required' }).min(1, 'is required').max(200, 'is too long')
const NO_STORE = 'no-store'

/**
 * Invitation links: instructors issue (shown once) and withdraw them; the external mentor opens one, confirms,
 * and is signed in as a mentor of that course. Opening only shows a page, so link scanners cannot use it up.
 */
export const invitationPageRoutes: FastifyPluginAsync<PoolApiOptions> = async (app, { requireRole, pools: { invitations } }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const preHandler = requireRole('instructor')
  const schema = { hide: true }

  api.post('/instructor/pool/mentors/:id/invitation', { schema: { ...schema, params: IdParams, body: FormBody }, preHandler }, async (request, reply) => {
    const auth = authOf(request)
    const { mentor, url, expiresAt } = await invitations.issue(poolCourseOf(auth), request.params.id, String(auth.user._id))
    const subject = `Your mentor sign-in link for ${auth.course.title}`
    const body = `Hello ${mentor.name},\n\nUse this personal link to sign in to Mentorlink as a mentor of ${auth.course.title}. It works once, until ${dayLabel(expiresAt)}:\n\n${url}\n`
    return await reply.header('cache-control', NO_STORE).view('pages/mentor-invite-link', {
      ...pageContext(auth, `Invitation link for ${mentor.name}`, 'pool'),
      mentor: { name: mentor.name, email: mentor.email },
      backHref: `/instructor/pool/mentors/${mentor.id}/edit`,
      url,
      expires: dayLabel(expiresAt),
      mailto: `mailto:${encodeURIComponent(mentor.email)}?${new URLSearchParams({ subject, body }).toString().replace(/\+/g, '%20')}`
    })
  })

  api.post('/instructor/pool/mentors/:id/invitation/email', { schema: { ...schema, params: IdParams, body: FormBody }, preHandler }, async (request, reply) => {
    const auth = authOf(request)
    await invitations.email(poolCourseOf(auth), request.params.id, String(auth.user._id))
    return await redirectWithNotice(reply, auth, `/instructor/pool/mentors/${request.params.id}/edit`, 'emailed')
  })

  api.post('/instructor/pool/invite-all', { schema: { ...schema, body: FormBody }, preHandler }, async (request, reply) => {
    const auth = authOf(request)
    const n = await invitations.emailAllNotInvited(poolCourseOf(auth), String(auth.user._id))
    return await redirectWithNotice(reply, auth, '/instructor/pool', 'invited', { n: String(n) })
  })

  api.post('/instructor/pool/mentors/:id/invitation/revoke', { schema: { ...schema, params: IdParams, body: FormBody }, preHandler }, async (request, reply) => {
    const auth = authOf(request)
    await invitations.revoke(poolCourseOf(auth), request.params.id)
    return await redirectWithNotice(reply, auth, `/instructor/pool/mentors/${request.params.id}/edit`, 'revoked')
  })

  api.get(INVITE_PATH, { schema: { ...schema, querystring: z.object({ token: Token }) } }, async (request, reply) => {
    const { mentor, course } = await invitations.inspect(request.query.token)
    return await reply.header('cache-control', NO_STORE).view('pages/mentor-invite-confirm', {
      title: 'Sign in as a mentor', course: { title: course.title }, mentorName: mentor.name, token: request.query.token, action: INVITE_PATH
    })
  })

  api.post(INVITE_PATH, { schema: { ...schema, body: z.object({ token: Token }) } }, async (request, reply) => {
    const session = await invitations.consume(request.body.token)
    return await reply.redirect(withSession('/mentor', session), 303)
  })
}
