import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf, type Auth } from '../../auth/require-session'
import type { FieldError } from '../../domain/activities/field-error'
import { CheckInInput, RELATIONSHIP } from '../../domain/feedback/check-ins'
import { FeedbackInput, LOW_RATING, USEFULNESS } from '../../domain/feedback/feedback-service'
import type { RelationshipCheckIn, SessionFeedback } from '../../domain/feedback/ports'
import { POINT_LABELS } from '../../domain/competencies/vocabulary'
import { PointJson } from './schemas'
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
const CheckInJson = z.object({ studentUserId: z.string(), point: z.enum(['start', 'mid', 'end']), side: z.enum(['student', 'mentor']), rating: z.number().int(), comment: z.string(), at: z.string() })
const toCheckInJson = (c: RelationshipCheckIn): z.infer<typeof CheckInJson> => ({ studentUserId: c.studentUserId, point: c.point, side: c.side, rating: c.rating, comment: c.comment, at: c.at.toISOString() })
const WaitingJson = z.object({ activityId: z.string(), studentUserId: z.string(), date: z.string(), topics: z.array(z.string()) })

const NOTICES = { thanks: 'Thank you: your answer is saved.', low: 'Thank you: your answer is saved. Your instructor sees it.' }
const PageQuery = noticeQuery(NOTICES)
const day = (d: Date): string => d.toISOString().slice(0, 10)

/** "How useful was this session?" after each verified 1:1 session, for students and mentors; the low answers for instructors. */
export const feedbackRoutes: FastifyPluginAsync<GrowthRoutesOptions> = async (app, { requireRole, growth }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const both = requireRole('student', 'mentor')
  const { feedback, checkIns } = growth
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

  api.get('/api/v1/checkins', {
    schema: {
      ...common,
      summary: 'Relationship check-ins ("How well is your mentoring relationship working?") still to give at the points that opened, and those you gave',
      response: { 200: z.object({ due: z.array(z.object({ point: PointJson, studentUserId: z.string() })), given: z.array(CheckInJson) }), ...errorResponses }
    },
    preHandler: both
  }, async (request) => {
    const { due, given } = await checkIns.mine(actorOf(authOf(request)))
    return { due, given: given.map(toCheckInJson) }
  })

  api.post('/api/v1/checkins', {
    schema: {
      ...common,
      summary: 'Check in on your pairing at an assessment point (1–5, optional comment); mentors name the mentee; final once given',
      body: CheckInInput,
      response: { 201: CheckInJson, ...errorResponses }
    },
    preHandler: both
  }, async (request, reply) => await reply.status(201).send(toCheckInJson(await checkIns.give(actorOf(authOf(request)), request.body))))

  type Refused = { key: string, errors: FieldError[], rating: string, comment: string }
  const render = async (reply: FastifyReply, auth: Auth, notice?: string, refused?: Refused, lowHint = false) => {
    const actor = actorOf(auth)
    const [{ waiting, given }, table, checks] = await Promise.all([feedback.mine(actor), growth.table(actor.courseId), checkIns.mine(actor)])
    const nameOf = (id: string): string => { const row = table.get(id); return row?.name || row?.email || 'Unnamed' }
    const problem = refused?.errors.find((e) => e.field === '(form)')?.message
    const choices = (labels: readonly string[], mine?: Refused) => labels.map((label, i) => ({ value: i + 1, label, checked: mine?.rating === String(i + 1) }))
    return await reply.code(refused ? (problem ? 409 : 400) : 200).view('pages/feedback', {
      ...pageContext(auth, refused ? 'Error: Session feedback' : 'Session feedback', 'feedback'),
      notice, problem, lowHint,
      forMentor: auth.role === 'mentor',
      checkIns: checks.due.map((d) => {
        const key = `${d.point.key}-${d.studentUserId}`
        const mine = refused?.key === key ? refused : undefined
        return {
          key, point: d.point.key, pointLabel: d.point.label, studentUserId: d.studentUserId, student: nameOf(d.studentUserId), comment: mine?.comment ?? '',
          error: mine?.errors.find((e) => e.field === 'rating')?.message, options: choices(RELATIONSHIP, mine)
        }
      }),
      checkInsGiven: checks.given.map((c) => ({ pointLabel: POINT_LABELS[c.point], student: nameOf(c.studentUserId), rating: c.rating, label: RELATIONSHIP[c.rating - 1], comment: c.comment })),
      waiting: waiting.map((s) => {
        const id = String(s._id)
        const mine = refused?.key === id ? refused : undefined
        return {
          id, date: day(s.date), student: nameOf(s.studentUserId), topics: (s.topics ?? []).join(', '), comment: mine?.comment ?? '',
          error: mine?.errors.find((e) => e.field === 'rating')?.message, commentError: mine?.errors.find((e) => e.field === 'comment')?.message,
          options: choices(USEFULNESS, mine)
        }
      }),
      given: given.map((f) => ({ date: day(f.sessionDate), student: nameOf(f.studentUserId), rating: f.rating, label: USEFULNESS[f.rating - 1], comment: f.comment }))
    })
  }

  api.get('/feedback', { schema: { hide: true, querystring: PageQuery }, preHandler: both }, async (request, reply) =>
    await render(reply, authOf(request), noticeText(NOTICES, request.query), undefined, request.query.notice === 'low'))

  const ratingErrors = (errors: FieldError[], rating: string, what: string): FieldError[] =>
    errors.map((e) => e.field === 'rating' && rating === '' ? { field: 'rating', message: `choose ${what}, from 1 to 5` } : e)

  api.post('/feedback/check-in', { schema: { hide: true, body: FormBody }, preHandler: both }, async (request, reply) => {
    const auth = authOf(request)
    const text = (name: string): string => { const v = request.body[name]; return typeof v === 'string' ? v : '' }
    const input = {
      point: text('point'), ...(auth.role === 'mentor' ? { studentUserId: text('studentUserId') } : {}),
      ...(text('rating') === '' ? {} : { rating: Number(text('rating')) }), comment: text('comment')
    }
    const refused = await submit(CheckInInput, input, async (data) => await checkIns.give(actorOf(auth), data))
    if (refused) {
      return await render(reply, auth, undefined, { key: `${text('point')}-${auth.role === 'mentor' ? text('studentUserId') : String(auth.user._id)}`, errors: ratingErrors(refused.errors, text('rating'), 'how well it works'), rating: text('rating'), comment: text('comment') })
    }
    return await redirectWithNotice(reply, auth, '/feedback', Number(text('rating')) <= LOW_RATING ? 'low' : 'thanks')
  })

  api.post('/feedback/:id', { schema: { hide: true, params: IdParams, body: FormBody }, preHandler: both }, async (request, reply) => {
    const auth = authOf(request)
    const text = (name: string): string => { const v = request.body[name]; return typeof v === 'string' ? v : '' }
    const input = { ...(text('rating') === '' ? {} : { rating: Number(text('rating')) }), comment: text('comment') }
    const refused = await submit(FeedbackInput, input, async (data) => await feedback.give(actorOf(auth), request.params.id, data))
    if (refused) return await render(reply, auth, undefined, { key: request.params.id, errors: ratingErrors(refused.errors, text('rating'), 'how useful the session was'), rating: text('rating'), comment: text('comment') })
    return await redirectWithNotice(reply, auth, '/feedback', Number(text('rating')) <= LOW_RATING ? 'low' : 'thanks')
  })
}
