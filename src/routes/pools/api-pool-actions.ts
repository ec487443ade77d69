import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf } from '../../auth/require-session'
import { MAX_CSV_ROWS } from '../../domain/pools/mentor-csv'
import { apiCommon, errorResponses, IdParams } from '../../http/schemas'
import { MentorJson, toMentorJson, UserIdParams } from './schemas'
import { poolCourseOf } from './pool-course'
import { exportFileName, sendCsv } from './csv-responses'
import { inBody, type PoolApiOptions } from './api'

const CsvText = z.string().min(1, 'is empty; send the CSV text').describe(`A CSV file with a header row, at most ${MAX_CSV_ROWS} rows`)
const SuggestionJson = z.object({ userId: z.string(), name: z.string(), email: z.string() })
const AcceptBody = z.strictObject({ email: z.string().optional().describe('Needed only when the LMS shared no email for this user') })

/** CSV import and export, LMS mentor suggestions and invitation links, for the course's instructors. */
export const poolActionsApiRoutes: FastifyPluginAsync<PoolApiOptions> = async (app, { requireRole, pools }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const common = apiCommon('Mentor pool')
  const preHandler = requireRole('instructor')
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => { done(null, body) })

  api.post('/api/v1/pool/mentors/import', {
    schema: {
      ...common,
      summary: 'Import mentors from CSV: every row is checked first, and nothing is imported unless all rows are valid',
      consumes: ['text/csv'],
      body: CsvText,
      response: { 201: z.object({ imported: z.number().int() }), ...errorResponses }
    },
    preHandler
  }, async (request, reply) => {
    const outcome = await pools.poolService.importCsv(poolCourseOf(authOf(request)), request.body)
    if (outcome.ok) return await reply.code(201).send({ imported: outcome.imported })
    return await reply.code(400).send({
      statusCode: 400, error: 'CSV_INVALID', message: `${outcome.errors.length} problems in the file; nothing was imported`, rows: outcome.errors
    })
  })

  api.get('/api/v1/pool/mentors/export', {
    schema: { ...common, summary: 'The pool as CSV, in the import format', produces: ['text/csv'], response: { 200: z.string(), ...errorResponses } },
    preHandler
  }, async (request, reply) => await sendCsv(reply, exportFileName(authOf(request).course.label), await pools.poolService.exportCsv(poolCourseOf(authOf(request)))))

  api.post('/api/v1/pool/mentors/:id/invitation', {
    schema: {
      ...common,
      summary: 'Issue a single-use sign-in link for an external mentor, revoking any earlier one; the link is returned only here',
      params: IdParams,
      response: { 201: z.object({ url: z.string(), expiresAt: z.string() }), ...errorResponses }
    },
    preHandler
  }, async (request, reply) => {
    const { url, expiresAt } = await pools.invitations.issue(poolCourseOf(authOf(request)), request.params.id, String(authOf(request).user._id))
    return await reply.code(201).header('cache-control', 'no-store').send({ url, expiresAt: expiresAt.toISOString() })
  })

  api.delete('/api/v1/pool/mentors/:id/invitation', {
    schema: { ...common, summary: "Revoke the mentor's open invitation link", params: IdParams, response: { 204: z.null(), ...errorResponses } },
    preHandler
  }, async (request, reply) => {
    await pools.invitations.revoke(poolCourseOf(authOf(request)), request.params.id)
    return await reply.code(204).send(null)
  })

  api.get('/api/v1/pool/suggestions', {
    schema: { ...common, summary: 'Course members with the LMS Mentor role not yet in the pool nor dismissed', response: { 200: z.object({ suggestions: z.array(SuggestionJson) }), ...errorResponses } },
    preHandler
  }, async (request) => {
    const list = await pools.suggestions.list(poolCourseOf(authOf(request)))
    return { suggestions: list.map((s) => ({ ...s, userId: String(s.userId) })) }
  })

  api.post('/api/v1/pool/suggestions/:userId/accept', {
    schema: { ...common, summary: 'Add a suggested LMS mentor to the pool, linked to their LMS user', params: UserIdParams, body: AcceptBody.nullish(), response: { 201: MentorJson, ...errorResponses } },
    preHandler
  }, async (request, reply) => {
    const created = await inBody(pools.suggestions.accept(poolCourseOf(authOf(request)), request.params.userId, request.body?.email))
    return await reply.code(201).send(toMentorJson(await pools.poolService.get(poolCourseOf(authOf(request)), created.id)))
  })

  api.post('/api/v1/pool/suggestions/:userId/dismiss', {
    schema: { ...common, summary: 'Stop suggesting this LMS mentor for the pool', params: UserIdParams, response: { 204: z.null(), ...errorResponses } },
    preHandler
  }, async (request, reply) => {
    await pools.suggestions.dismiss(poolCourseOf(authOf(request)), request.params.userId)
    return await reply.code(204).send(null)
  })
}
