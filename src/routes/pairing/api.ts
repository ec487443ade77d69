import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf } from '../../auth/require-session'
import { explainPair, tagLabels } from '../../domain/pairing-workflow/explain-pair'
import type { PairingRunRecord } from '../../domain/pairing-workflow/pairing-ports'
import { apiCommon } from '../../http/schemas'
import type { PairingRoutesOptions } from './index'
import { PlacementReport, PublishBody, RunSummary } from './schemas'

const summary = (run: PairingRunRecord) => ({
  runId: run.id,
  method: run.method,
  published: run.publishedAt !== null,
  pairs: run.result.pairs.map((p) => ({ studentId: p.studentId, mentorId: p.mentorId, explanation: explainPair(p.explanation, tagLabels(run.inputs)) })),
  unpaired: run.result.unpaired.map((u) => ({ studentId: u.studentId, reason: u.message })),
  loads: run.result.loads,
  comparison: run.comparison
})

/** The pairing's JSON API for instructors: the latest run, a new run, publishing. */
export const pairingApiRoutes: FastifyPluginAsync<PairingRoutesOptions> = async (app, { requireRole, pairing, store, placeUnpaired }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const instructor = requireRole('instructor')
  const courseOf = (request: FastifyRequest): string => String(authOf(request).course._id)
  const common = apiCommon('Pairing')

  api.get('/api/v1/pairing/latest', {
    schema: { ...common, summary: 'The latest pairing run of the course', response: { 200: RunSummary.nullable() } },
    preHandler: instructor
  }, async (request) => {
    const run = await store.latestRun(courseOf(request))
    return run ? summary(run) : null
  })
  api.post('/api/v1/pairing/runs', {
    schema: { ...common, summary: 'Run the pairing with the course settings', response: { 201: RunSummary } },
    preHandler: instructor
  }, async (request, reply) => {
    await pairing.run(courseOf(request), String(authOf(request).user._id))
    return await reply.status(201).send(summary(await store.latestRun(courseOf(request)) as PairingRunRecord))
  })
  api.post('/api/v1/pairing/place-unpaired', {
    schema: {
      ...common,
      summary: 'After publication: pair the students left unpaired with mentors who have room, moving nobody (409 before publication)',
      response: { 200: PlacementReport }
    },
    preHandler: instructor
  }, async (request) => {
    const report = await placeUnpaired(courseOf(request))
    return { placed: report.placed, unplaced: report.unplaced }
  })
  api.post('/api/v1/pairing/publish', {
    schema: { ...common, summary: 'Publish the latest run (409 when it pairs nobody, unless allowEmpty)', body: PublishBody, response: { 200: z.object({ runId: z.string(), created: z.number().int() }) } },
    preHandler: instructor
  }, async (request) => ({ runId: request.body.runId, created: await pairing.publish(courseOf(request), request.body.runId, { allowEmpty: request.body.allowEmpty }) }))
}
