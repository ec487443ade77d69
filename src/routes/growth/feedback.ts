import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf, type Auth } from '../../auth/require-session'
import type { FieldError } from '../../domain/activities/field-error'
import { FeedbackInput, USEFULNESS } from '../../domain/feedback/feedback-service'
import type { SessionFeedback } from '../../domain/feedback/ports'
import { FormBody, noticeQuery, noticeText, redirectWithNotice, submit } from '../../http/forms'
import { pageContext } from '../../http/page-context'
import { apiCommon, errorResponses, IdParams } from '../../http/schemas'
import { actorOf } from '../activities/actor'
import type { GrowthRoutesOptions } from './api'

const FeedbackJson = z.object({
  activityId: z.string(), studentUserId: z.string(), side: z.enum(['student', 'mentor']), rating: z.number().int(), comment: z.string(), sessionDate: z.string(), at: z.string()
})
const toFeedbackJson = (f: SessionFeedback): z.infer<typeof FeedbackJson> => ({
  activityId: f.activityId, studentUserId: f.studentUserId, side: f.side, rating: f.rating, comment: f.comment, sessionDate: f.sessionDate.toISOString().slice(0, 10), at: f.at.toISOString()
})
const WaitingJson = z.object({ activityId: z.string(), studentUserId: z.string(), date: z.string(), topics: z.array(z.string()) })

const NOTICES = { thanks: 'Thank you: your answer is saved.' }
const PageQuery = noticeQuery(NOTICES)
const day = (d: Date): string => d.toISOString().slice(0, 10)

/** "How useful was this session?" after each verified 1:1 session, for students and mentors; the low answers for instructors. */
export const feedbackRoutes: FastifyPluginAsync<GrowthRoutesOptions> = async (app, { requireRole, growth }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const both = requireRole('student', 'mentor')
  const { feedback } = growth
  const common = apiCommon('Session feedback')

  api.get('/api/v1/feedback', {
    schema: {
      ...common,
      summary: 'Your verified 1:1 sessions still waiting for your answer to "How useful was this session?", and the answers you gave',
      response: { 200: z.object({ waiting: z.array(WaitingJson), given: z.array(FeedbackJson) }), ...errorResponses }
    },
    preHandler: both
  }, async (request) => {
    const { waiting, given } = await feedback.mine(actorOf(authOf(request)))
    return { waiting: waiting.map((s) => ({ activityId: String(s._id), studentUserId: s.studentUserId, date: day(s.date), topics: s.topics ?? [] })), given: given.map(toFeedbackJson) }
  })

  api.post('/api/v1/feedback/:id', {
    schema: {
      ...common,
      summary: 'Say how useful a verified 1:1 session was (1–5, optional comment); final once given',
      params: IdParams,
      body: FeedbackInput,
      response: { 201: FeedbackJson, ...errorResponses }
    },
    preHandler: both
  }, async (request, reply) => await reply.status(201).send(toFeedbackJson(await feedback.give(actorOf(authOf(request)), request.params.id, request.body))))

  api.get('/api/v1/feedback/low', {
    schema: { ...common, summary: 'Answers of 2 or less, newest first (the at-risk list shows them)', response: { 200: z.array(FeedbackJson), ...errorResponses } },
    preHandler: requireRole('instructor')
  }, async (request) => (await feedback.low(String(authOf(request).course._id))).map(toFeedbackJson))

  const render = async (reply: FastifyReply, auth: Auth, notice?: string, refused?: { activityId: string, errors: FieldError[], rating: string, comment: string }) => {
    const actor = actorOf(auth)
    const [{ waiting, given }, table] = await Promise.all([feedback.mine(actor), growth.table(actor.courseId)])
    const nameOf = (id: string): string => { const row = table.get(id); return row?.name || row?.email || 'Unnamed' }
    const problem = refused?.errors.find((e) => e.field === '(form)')?.message
    return await reply.code(refused ? (problem ? 409 : 400) : 200).view('pages/feedback', {
      ...pageContext(auth, refused ? 'Error: Session feedback' : 'Session feedback', 'feedback'),
      notice, problem,
      forMentor: auth.role === 'mentor',
      waiting: waiting.map((s) => {
        const id = String(s._id)
        const mine = refused?.activityId === id ? refused : undefined
        return {
          id, date: day(s.date), student: nameOf(s.studentUserId), topics: (s.topics ?? []).join(', '), comment: mine?.comment ?? '',
          error: mine?.errors.find((e) => e.field === 'rating')?.message, commentError: mine?.errors.find((e) => e.field === 'comment')?.message,
          options: USEFULNESS.map((label, i) => ({ value: i + 1, label, checked: mine?.rating === String(i + 1) }))
        }
      }),
      given: given.map((f) => ({ date: day(f.sessionDate), student: nameOf(f.studentUserId), rating: f.rating, label: USEFULNESS[f.rating - 1], comment: f.comment }))
    })
  }

  api.get('/feedback', { schema: { hide: true, querystring: PageQuery }, preHandler: both }, async (request, reply) =>
    await render(reply, authOf(request), noticeText(NOTICES, request.query)))

  api.post('/feedback/:id', { schema: { hide: true, params: IdParams, body: FormBody }, preHandler: both }, async (request, reply) => {
    const auth = authOf(request)
    const text = (name: string): string => { const v = request.body[name]; return typeof v === 'string' ? v : '' }
    const input = { ...(text('rating') === '' ? {} : { rating: Number(text('rating')) }), comment: text('comment') }
    const refused = await submit(FeedbackInput, input, async (data) => await feedback.give(actorOf(auth), request.params.id, data))
    if (refused) {
      const errors = refused.errors.map((e) => e.field === 'rating' && text('rating') === '' ? { field: 'rating', message: 'choose how useful the session was, from 1 to 5' } : e)
      return await render(reply, auth, undefined, { activityId: request.params.id, errors, rating: text('rating'), comment: text('comment') })
    }
    return await redirectWithNotice(reply, auth, '/feedback', 'thanks')
  })
}
