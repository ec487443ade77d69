import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf, type Auth } from '../../auth/require-session'
import { fieldErrorsOf, PoolFieldError } from '../../domain/pools/field-errors'
import { FormBody, redirectWithNotice, textValues } from '../../http/forms'
import { objectIdString } from '../../http/schemas'
import { pageContext } from '../../http/page-context'
import { exportFileName, sendCsv, templateCsv } from './csv-responses'
import { poolCourseOf } from './pool-course'
import { UserIdParams } from './schemas'
import type { PoolApiOptions } from './api'
import { mentorRow } from './mentor-view'
import type { MentorView } from '../../domain/pools/pool-service'
import { neverInvited } from '../../domain/pools/invitations'
import { poolNotice, PageQuery } from './notices'

const AttachForm = z.object({ poolId: objectIdString })

/** A suggestion that could not be accepted, shown next to it with what was typed. */
interface SuggestionProblem { userId: string, message: string, email: string }

/** The pool page (mentors, LMS suggestions, reusing another course's pool) and the CSV downloads. */
export const poolPageRoutes: FastifyPluginAsync<PoolApiOptions> = async (app, { requireRole, pools }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const preHandler = requireRole('instructor')
  const schema = { hide: true }

  /** Active external mentors never invited, when invitations can be emailed. */
  const notInvited = (mentors: MentorView[]) => {
    const n = pools.invitations.emails ? mentors.filter((m) => m.active && neverInvited(m)).length : 0
    return { notInvited: n, notInvitedOne: n === 1 }
  }
  const render = async (reply: FastifyReply, auth: Auth, notice?: string, problem?: SuggestionProblem, status = 200) => {
    await pools.poolService.poolIdOf(poolCourseOf(auth)) // creates the pool on a first visit, once, before the reads below
    const [mentors, suggestions] = await Promise.all([pools.poolService.list(poolCourseOf(auth)), pools.suggestions.list(poolCourseOf(auth))])
    // Another course's pool can be reused only while this one is empty: only then are the instructor's other courses
    // looked up.
    const choices = mentors.length === 0 ? await pools.sharing.choices(poolCourseOf(auth), String(auth.user._id)) : []
    return await reply.code(status).view('pages/pool', {
      ...pageContext(auth, problem ? 'Error: Mentor pool' : 'Mentor pool', 'pool'),
      notice,
      mentors: mentors.map(mentorRow),
      activeCount: mentors.filter((m) => m.active).length,
      ...notInvited(mentors),
      suggestions: suggestions.map((s) => {
        const userId = String(s.userId)
        const mine = problem?.userId === userId ? problem : undefined
        return { userId, name: s.name || 'Unnamed LMS user', email: s.email, needsEmail: s.email === '', error: mine?.message, typedEmail: mine?.email ?? '' }
      }),
      choices: choices.map((c) => ({ poolId: String(c.poolId), label: `${c.courseTitles.join(', ')} (${c.mentors} mentors)` }))
    })
  }

  api.get('/instructor/pool', { schema: { ...schema, querystring: PageQuery }, preHandler }, async (request, reply) =>
    await render(reply, authOf(request), poolNotice(request.query)))

  api.post('/instructor/pool/suggestions/:userId/accept', { schema: { ...schema, params: UserIdParams, body: FormBody }, preHandler }, async (request, reply) => {
    const auth = authOf(request)
    const email = textValues(request.body).email
    try {
      const mentor = await pools.suggestions.accept(poolCourseOf(auth), request.params.userId, email)
      return await redirectWithNotice(reply, auth, `/instructor/pool/mentors/${mentor.id}/edit`, 'accepted')
    } catch (err) {
      if (!(err instanceof PoolFieldError)) throw err
      const message = err.fields.map((f) => `${f.field === 'email' ? 'Email' : f.field}: ${f.message}`).join('; ')
      return await render(reply, auth, undefined, { userId: request.params.userId, message, email: email ?? '' }, err.statusCode)
    }
  })

  api.post('/instructor/pool/suggestions/:userId/dismiss', { schema: { ...schema, params: UserIdParams, body: FormBody }, preHandler }, async (request, reply) => {
    const auth = authOf(request)
    await pools.suggestions.dismiss(poolCourseOf(auth), request.params.userId)
    return await redirectWithNotice(reply, auth, '/instructor/pool', 'dismissed')
  })

  api.post('/instructor/pool/attach', { schema: { ...schema, body: FormBody }, preHandler }, async (request, reply) => {
    const auth = authOf(request)
    const parsed = AttachForm.safeParse(request.body)
    if (!parsed.success) throw new PoolFieldError(400, fieldErrorsOf(parsed.error))
    await pools.sharing.attach(poolCourseOf(auth), String(auth.user._id), parsed.data.poolId)
    return await redirectWithNotice(reply, auth, '/instructor/pool', 'attached')
  })

  api.get('/instructor/pool/export.csv', { schema, preHandler }, async (request, reply) => {
    const auth = authOf(request)
    return await sendCsv(reply, exportFileName(auth.course.label), await pools.poolService.exportCsv(poolCourseOf(auth)))
  })

  api.get('/instructor/pool/template.csv', { schema, preHandler }, async (_request, reply) =>
    await sendCsv(reply, 'mentor-pool-template.csv', templateCsv()))
}
