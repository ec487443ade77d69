import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf, type RequireRole } from '../../auth/require-session'
import type { RecordService } from '../../domain/activities/record-service'
import { apiCommon, errorResponses, IdParams, objectIdString } from '../../http/schemas'
import { actorOf } from './actor'
import type { StudentRecord } from '../../domain/activities/ports'


export interface RecordApi<T extends StudentRecord, C extends { studentUserId?: string }, P> {
  path: string
  tag: string
  /** Singular, for summaries: 'activity'. */
  noun: string
  service: RecordService<T, C, P>
  Create: z.ZodType<C>
  Patch: z.ZodType<P>
  Json: z.ZodType
  toJson: (record: T) => unknown
  /** Optional list filters, each an equality on the stored field of the same name. */
  filters?: z.ZodRawShape
}

/** The five routes every kind of student record has: list, read, create, edit, (soft) delete. */
export function registerRecordApi<T extends StudentRecord, C extends { studentUserId?: string }, P> (
  app: FastifyInstance, requireRole: RequireRole, r: RecordApi<T, C, P>
): void {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const common = apiCommon(r.tag)
  const read = requireRole(...r.service.spec.readers)
  const write = requireRole(...r.service.spec.writers)
  const ListQuery = z.object({ studentUserId: objectIdString.optional().describe('Only this student\'s entries'), ...r.filters })
  const item = { ...common, params: IdParams }

  api.get(r.path, {
    schema: { ...common, summary: `List ${r.noun} entries you may see`, querystring: ListQuery, response: { 200: z.array(r.Json), ...errorResponses } },
    preHandler: read
  }, async (request) => {
    const { studentUserId, ...filter } = request.query as { studentUserId?: string } & Record<string, string | undefined>
    const defined = Object.fromEntries(Object.entries(filter).filter((e): e is [string, string] => e[1] !== undefined))
    return (await r.service.list(actorOf(authOf(request)), studentUserId, defined)).map(r.toJson)
  })

  api.post(r.path, {
    schema: { ...common, summary: `Record a new ${r.noun}`, body: r.Create, response: { 201: r.Json, ...errorResponses } },
    preHandler: write
  }, async (request, reply) => {
    const created = await r.service.create(actorOf(authOf(request)), request.body as C)
    return await reply.status(201).send(r.toJson(created))
  })

  api.get(`${r.path}/:id`, {
    schema: { ...item, summary: `One ${r.noun}`, response: { 200: r.Json, ...errorResponses } },
    preHandler: read
  }, async (request) => r.toJson(await r.service.get(actorOf(authOf(request)), request.params.id)))

  api.patch(`${r.path}/:id`, {
    schema: { ...item, summary: `Change a ${r.noun}`, body: r.Patch, response: { 200: r.Json, ...errorResponses } },
    preHandler: write
  }, async (request) => r.toJson(await r.service.update(actorOf(authOf(request)), request.params.id, request.body as P)))

  api.delete(`${r.path}/:id`, {
    schema: { ...item, summary: `Delete a ${r.noun} (kept, marked deleted, in the audit trail)`, response: { 204: z.null(), ...errorResponses } },
    preHandler: write
  }, async (request, reply) => {
    await r.service.remove(actorOf(authOf(request)), request.params.id)
    return await reply.status(204).send(null)
  })
}
