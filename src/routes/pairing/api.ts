import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf } from '../../auth/require-session'
import { explainPair, tagLabels } from '../../domain/pairing-workflow/explain-pair'
import type { PairingRunRecord } from '../../domain/pairing-workflow/pairing-ports'
import { apiCommon, errorResponses } from '../../http/schemas'
import type { PairingRoutesOptions } from './index'
import type { RematchRequest } from '../../domain/pairing-workflow/rematch-requests'
import { IdParams } from '../../http/schemas'
import { historyJson } from './history-view'
import {
  ChangeBody, DecisionBody, HistoryJson, HistoryQuery, PlacementReport, PublishBody, ReasonBody, RepairPreviewJson, RepublishBody,
  RequestForm, RequestJson, RunSummary
} from './schemas'

const summary = (run: PairingRunRecord) => ({
  runId: run.id,
  method: run.method,
  published: run.publishedAt !== null,
  pairs: run.result.pairs.map((p) => ({ studentId: p.studentId, mentorId: p.mentorId, explanation: explainPair(p.explanation, tagLabels(run.inputs)) })),
  unpaired: run.result.unpaired.map((u) => ({ studentId: u.studentId, reason: u.message })),
  loads: run.result.loads,
  comparison: run.comparison
})

const requestJson = (r: RematchRequest) => ({ ...r, createdAt: r.createdAt.toISOString() })

/**
 * The pairing's JSON API: for instructors the whole lifecycle (runs, undo, publish, pair the unpaired, move, swap,
 * re-pair, unpublish, requests, history); for students and mentors their current pairing and their requests.
 */
export const pairingApiRoutes: FastifyPluginAsync<PairingRoutesOptions> = async (app, { requireRole, pairing, store, placeUnpaired, published, rematch, history, menteesOf }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const instructor = requireRole('instructor')
  const courseOf = (request: FastifyRequest): string => String(authOf(request).course._id)
  const userOf = (request: FastifyRequest): string => String(authOf(request).user._id)
  const common = apiCommon('Pairing')

  api.get('/api/v1/pairing/latest', {
    schema: { ...common, summary: 'The latest pairing run of the course', response: { 200: RunSummary.nullable() } },
    preHandler: instructor
  }, async (request) => {
    const run = await store.latestRun(courseOf(request))
    return run ? summary(run) : null
  })
  api.post('/api/v1/pairing/runs', {
    schema: { ...common, summary: 'Run the pairing with the course settings', response: { 201: RunSummary, ...errorResponses } },
    preHandler: instructor
  }, async (request, reply) => {
    await pairing.run(courseOf(request), String(authOf(request).user._id))
    return await reply.status(201).send(summary(await store.latestRun(courseOf(request)) as PairingRunRecord))
  })
  api.post('/api/v1/pairing/place-unpaired', {
    schema: {
      ...common,
      summary: 'After publication: pair the students left unpaired with mentors who have room, moving nobody (409 before publication)',
      response: { 200: PlacementReport, ...errorResponses }
    },
    preHandler: instructor
  }, async (request) => {
    const report = await placeUnpaired(courseOf(request), userOf(request))
    return { placed: report.placed, unplaced: report.unplaced }
  })
  api.post('/api/v1/pairing/publish', {
    schema: { ...common, summary: 'Publish the latest run (409 when it pairs nobody, unless allowEmpty)', body: PublishBody, response: { 200: z.object({ runId: z.string(), created: z.number().int() }), ...errorResponses } },
    preHandler: instructor
  }, async (request) => ({ runId: request.body.runId, created: await pairing.publish(courseOf(request), request.body.runId, { allowEmpty: request.body.allowEmpty, byUserId: userOf(request) }) }))
  api.post('/api/v1/pairing/undo', {
    schema: { ...common, summary: 'Before publication: undo the last lock, forbid or move (one step)', response: { 200: z.object({ undone: z.string() }), ...errorResponses } },
    preHandler: instructor
  }, async (request) => ({ undone: await pairing.undo(courseOf(request), userOf(request)) }))
  api.post('/api/v1/pairing/changes', {
    schema: { ...common, summary: 'After publication: move a student to a mentor with a free seat, or swap the mentors of two students, with a reason', body: ChangeBody, response: { 204: z.null(), ...errorResponses } },
    preHandler: instructor
  }, async (request, reply) => {
    const change = request.body
    if (change.action === 'move') await published.move(courseOf(request), userOf(request), change.studentId, change.mentorId, change.reason)
    else await published.swap(courseOf(request), userOf(request), change.studentId, change.otherStudentId, change.reason)
    return await reply.status(204).send(null)
  })
  api.post('/api/v1/pairing/repair-preview', {
    schema: { ...common, summary: 'After publication: preview a re-pair of everyone; answers who would change mentor (nothing changes yet)', response: { 200: RepairPreviewJson, ...errorResponses } },
    preHandler: instructor
  }, async (request) => await published.previewRepair(courseOf(request), userOf(request)))
  api.post('/api/v1/pairing/republish', {
    schema: { ...common, summary: 'Apply the re-pair preview (409 when a newer preview exists)', body: RepublishBody, response: { 200: RepairPreviewJson, ...errorResponses } },
    preHandler: instructor
  }, async (request) => ({ runId: request.body.runId, changes: await published.republish(courseOf(request), userOf(request), request.body.runId, request.body.reason) }))
  api.post('/api/v1/pairing/unpublish', {
    schema: { ...common, summary: 'Back to preview, while nobody has recorded an activity or attendance since publication (409 after)', body: ReasonBody, response: { 200: z.object({ released: z.number().int() }), ...errorResponses } },
    preHandler: instructor
  }, async (request) => ({ released: await published.unpublish(courseOf(request), userOf(request), request.body.reason) }))
  api.get('/api/v1/pairing/history', {
    schema: { ...common, summary: 'Every change to the pairing, newest first: what, who (null: automatic), when, why', querystring: HistoryQuery, response: { 200: HistoryJson } },
    preHandler: instructor
  }, async (request) => {
    const { limit, before, student } = request.query
    return historyJson(await history.list(courseOf(request), { limit, before: before ? new Date(before) : undefined, studentId: student }))
  })
  api.get('/api/v1/pairing/requests', {
    schema: { ...common, summary: 'Rematch requests waiting for a decision, oldest first', response: { 200: z.array(RequestJson) } },
    preHandler: instructor
  }, async (request) => (await rematch.openOf(courseOf(request))).map(requestJson))
  api.post('/api/v1/pairing/requests/:id/decision', {
    schema: { ...common, summary: 'Accept a rematch request (the student moves to mentorId) or decline it with a note', params: IdParams, body: DecisionBody, response: { 204: z.null(), ...errorResponses } },
    preHandler: instructor
  }, async (request, reply) => {
    const body = request.body
    if (body.decision === 'accept') await rematch.accept(courseOf(request), userOf(request), request.params.id, body.mentorId, body.note)
    else await rematch.decline(courseOf(request), userOf(request), request.params.id, body.note)
    return await reply.status(204).send(null)
  })

  const asker = requireRole('student', 'mentor')
  api.post('/api/v1/pairing/my-requests', {
    schema: { ...common, summary: 'A student (about their mentor) or a mentor (about a mentee: studentId) asks for a different pairing', body: RequestForm, response: { 201: z.object({ id: z.string() }), ...errorResponses } },
    preHandler: asker
  }, async (request, reply) => {
    const auth = authOf(request)
    const studentId = auth.role === 'student' ? userOf(request) : request.body.studentId ?? ''
    const id = await rematch.ask(courseOf(request), { userId: userOf(request), role: auth.role === 'student' ? 'student' : 'mentor' }, studentId, request.body.reason)
    return await reply.status(201).send({ id })
  })
  api.get('/api/v1/pairing/my-requests', {
    schema: { ...common, summary: 'The requests the signed-in student or mentor made, with the instructor\'s answers', response: { 200: z.array(RequestJson) } },
    preHandler: asker
  }, async (request) => (await rematch.madeBy(courseOf(request), userOf(request))).map(requestJson))
  api.get('/api/v1/pairing/mine', {
    schema: {
      ...common,
      summary: 'The signed-in student\'s mentor, or the signed-in mentor\'s mentees, as published now',
      response: { 200: z.object({ mentorId: z.string().nullable(), menteeIds: z.array(z.string()) }) }
    },
    preHandler: asker
  }, async (request) => {
    const auth = authOf(request)
    if (auth.role === 'mentor') return { mentorId: null, menteeIds: (await menteesOf(courseOf(request), userOf(request))).sort() }
    const own = (await store.activeList(courseOf(request))).find((p) => p.studentId === userOf(request))
    return { mentorId: own?.mentorId ?? null, menteeIds: [] }
  })
}
