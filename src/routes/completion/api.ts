import type { CourseTable } from '../../domain/progress/course-table'
import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf, type RequireRole } from '../../auth/require-session'
import type { CompletionService } from '../../domain/completion/completion-service'
import type { Id } from '../../domain/ids'
import { scoreMaximumOf } from '../../domain/completion/rules'
import type { GradePublisher } from '../../domain/grading/grade-publisher'
import { apiCommon, errorResponses } from '../../http/schemas'
import { RecomputeJson, RulesBody, RulesJson, StudentCompletionJson, toStudentCompletionJson } from './schemas'

export interface CompletionRoutesOptions {
  requireRole: RequireRole
  completion: CompletionService
  publisher: Pick<GradePublisher, 'recompute'>
  menteesOf: (courseId: Id, mentorUserId: Id) => Promise<Id[]>
  /** The course table of the progress read model: every student's counts, read in a few documents. */
  table: (courseId: Id) => Promise<CourseTable>
  /** Each student's submitted self-assessments, which the course table (activities only) does not count. */
  selfAssessments: (courseId: Id) => Promise<ReadonlyMap<Id, number>>
}

const common = apiCommon('Completion')

/** Completion rules, their preview, and each student's progress towards completion. */
export const completionApiRoutes: FastifyPluginAsync<CompletionRoutesOptions> = async (app, { requireRole, completion, publisher, menteesOf }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const instructor = requireRole('instructor')
  const rulesJson = async (courseId: Id) => {
    const { rules, saved, updatedAt } = await completion.rulesOf(courseId)
    return { rules, saved, scoreMaximum: scoreMaximumOf(rules), updatedAt: updatedAt?.toISOString() ?? null }
  }

  api.get('/api/v1/completion/rules', {
    schema: { ...common, summary: 'The course\'s completion rules (the defaults until an instructor saves some)', response: { 200: RulesJson, ...errorResponses } },
    preHandler: requireRole('student', 'mentor', 'instructor')
  }, async (request) => await rulesJson(String(authOf(request).course._id)))

  api.put('/api/v1/completion/rules', {
    schema: {
      ...common,
      summary: 'Save the completion rules, recompute every student and queue the scores that changed',
      description: 'Saving rules the first time starts grade passback for the course. Instructors of the course only.',
      body: RulesBody,
      response: { 200: RulesJson.extend({ recompute: RecomputeJson }), ...errorResponses }
    },
    preHandler: instructor
  }, async (request) => {
    const { course, user } = authOf(request)
    await completion.saveRules(String(course._id), request.body, String(user._id))
    const recompute = await publisher.recompute(String(course._id))
    return { ...await rulesJson(String(course._id)), recompute }
  })

  api.post('/api/v1/completion/preview', {
    schema: {
      ...common,
      summary: 'What every active student would score now under the given rules (nothing is saved or sent)',
      body: RulesBody,
      response: { 200: z.array(StudentCompletionJson), ...errorResponses }
    },
    preHandler: instructor
  }, async (request) => (await completion.evaluateCourse(String(authOf(request).course._id), request.body)).map(toStudentCompletionJson))

  api.get('/api/v1/completion/progress', {
    schema: {
      ...common,
      summary: 'Progress towards completion: your own (students), your mentees\' (mentors), every active student\'s (instructors)',
      response: { 200: z.array(StudentCompletionJson), ...errorResponses }
    },
    preHandler: requireRole('student', 'mentor', 'instructor')
  }, async (request) => {
    const { course, user, role } = authOf(request)
    const { rules } = await completion.rulesOf(String(course._id))
    const only = role === 'student' ? [String(user._id)] : role === 'mentor' ? await menteesOf(String(course._id), String(user._id)) : undefined
    if (only?.length === 0) return []
    return (await completion.evaluateCourse(String(course._id), rules, only)).map(toStudentCompletionJson)
  })
}
