import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { authOf, type RequireRole } from '../../auth/require-session'
import type { GradePublisher } from '../../domain/grading/grade-publisher'
import type { GradeOutbox } from '../../domain/grading/ports'
import { apiCommon, errorResponses } from '../../http/schemas'
import { RecomputeJson } from '../completion/schemas'
import { gradeStatus, type GradeStatusDeps } from './grade-status'
import { GradeStatusJson, RetryBody, RetryJson } from './schemas'

export interface GradeRoutesOptions {
  requireRole: RequireRole
  status: GradeStatusDeps
  outbox: Pick<GradeOutbox, 'retry'>
  publisher: Pick<GradePublisher, 'recompute'>
  kick: () => void
}

const common = apiCommon('Grades')

/** Grade passback for the course's instructors: sync state, retries and sending every score again. */
export const gradeApiRoutes: FastifyPluginAsync<GradeRoutesOptions> = async (app, { requireRole, status, outbox, publisher, kick }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const instructor = requireRole('instructor')

  api.get('/api/v1/grades', {
    schema: { ...common, summary: 'Each active student\'s grade sync state and the latest passback errors', response: { 200: GradeStatusJson, ...errorResponses } },
    preHandler: instructor
  }, async (request) => await gradeStatus(status, authOf(request).course))

  api.post('/api/v1/grades/retry', {
    schema: { ...common, summary: 'Send failed and waiting scores again now, for one student or all', body: RetryBody, response: { 200: RetryJson, ...errorResponses } },
    preHandler: instructor
  }, async (request) => {
    const { studentUserId } = request.body
    const retried = await outbox.retry(String(authOf(request).course._id), studentUserId)
    if (retried > 0) kick()
    return { retried }
  })

  api.post('/api/v1/grades/sync', {
    schema: {
      ...common,
      summary: 'Recompute every active student now and send every score again, changed or not',
      response: { 200: RecomputeJson, ...errorResponses }
    },
    preHandler: instructor
  }, async (request) => await publisher.recompute(String(authOf(request).course._id), undefined, { force: true }))
}
