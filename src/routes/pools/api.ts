import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf, type RequireRole } from '../../auth/require-session'
import { PoolFieldError } from '../../domain/pools/field-errors'
import type { Pools } from '../../domain/pools'
import { MentorCreate, MentorPatch } from '../../domain/pools/mentor-fields'
import { apiCommon, errorResponses, IdParams } from '../../http/schemas'
import { MentorJson, toMentorJson } from './schemas'
import { poolCourseOf } from './pool-course'

export interface PoolApiOptions { requireRole: RequireRole, pools: Pools }

/** Field errors named as the request validator names them (`body.email`), so API clients see one convention. */
export async function inBody<T> (work: Promise<T>): Promise<T> {
  try {
    return await work
  } catch (err) {
    throw err instanceof PoolFieldError ? err.in('body') : err
  }
}

const ListQuery = z.object({
  active: z.enum(['true', 'false']).optional().describe('Only active (true) or inactive (false) mentors')
})

/** The mentor pool's JSON API: the course's instructors list, add, read and change mentors. */
export const mentorApiRoutes: FastifyPluginAsync<PoolApiOptions> = async (app, { requireRole, pools: { poolService } }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const common = apiCommon('Mentor pool')
  const preHandler = requireRole('instructor')
  const course = (request: FastifyRequest) => poolCourseOf(authOf(request))

  api.get('/api/v1/pool/mentors', {
    schema: { ...common, summary: "The course pool's mentors, by name", querystring: ListQuery, response: { 200: z.object({ mentors: z.array(MentorJson) }), ...errorResponses } },
    preHandler
  }, async (request) => {
    const { active } = request.query
    const mentors = await poolService.list(course(request), active === undefined ? {} : { active: active === 'true' })
    return { mentors: mentors.map(toMentorJson) }
  })

  api.post('/api/v1/pool/mentors', {
    schema: { ...common, summary: 'Add an external mentor to the pool', body: MentorCreate, response: { 201: MentorJson, ...errorResponses } },
    preHandler
  }, async (request, reply) => {
    const created = await inBody(poolService.add(course(request), request.body))
    return await reply.code(201).send(toMentorJson(await poolService.get(course(request), created.id)))
  })

  api.get('/api/v1/pool/mentors/:id', {
    schema: { ...common, summary: 'One mentor of the pool', params: IdParams, response: { 200: MentorJson, ...errorResponses } },
    preHandler
  }, async (request) => toMentorJson(await poolService.get(course(request), request.params.id)))

  api.patch('/api/v1/pool/mentors/:id', {
    schema: {
      ...common,
      summary: 'Change a mentor; `active: false` deactivates (revoking open invitation links), `active: true` reactivates',
      params: IdParams,
      body: MentorPatch,
      response: { 200: MentorJson, ...errorResponses }
    },
    preHandler
  }, async (request) => {
    await inBody(poolService.update(course(request), request.params.id, request.body))
    return toMentorJson(await poolService.get(course(request), request.params.id))
  })
}
