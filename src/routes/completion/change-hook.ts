import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Id } from '../../domain/ids'

/**
 * Routes whose successful writes may move a student's completion: activities and their verification, goals,
 * reflections, field trips and their attendance and check-ins, and the record pages (`/records/...`). Matched on
 * the route pattern, so the activities code needs no call into completion; a false positive only costs a
 * recompute that finds nothing changed.
 */
const PROGRESS_ROUTES = /activit|verification|goal|reflection|field-trip|check-in|\/records(\/|$)/
const READS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** An onResponse hook telling completion that a signed-in write succeeded on a route that may change progress. */
export function progressChangeHook (changed: (courseId: Id) => Promise<void>) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (READS.has(request.method) || reply.statusCode >= 400) return
    const course = request.auth?.course
    if (course && PROGRESS_ROUTES.test(request.routeOptions.url ?? '')) {
      changed(String(course._id)).catch((err: unknown) => { request.log.error({ err }, 'marking a course for grade recompute failed') })
    }
  }
}
