import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf, type RequireRole } from '../../auth/require-session'
import { REPORT_STATUSES } from '../../domain/activities/course-report'
import { ACTIVITY_KINDS } from '../../domain/activities/vocabulary'
import { termOf, type Term } from '../../domain/term/term'
import { TermInput } from '../../domain/term/term-fields'
import { apiCommon, errorResponses, objectIdString } from '../../http/schemas'
import { AuditJson, ProgressJson, toAuditJson } from './schemas'
import type { ActivityServices } from '../../services'
import { actorOf } from './actor'
import { loadCourseReport } from './course-report-loader'

export interface CourseApiOptions { requireRole: RequireRole, services: ActivityServices }

const day = z.string().describe('YYYY-MM-DD')
const TermJson = z.object({
  start: day,
  end: day,
  startFrom: z.enum(['lms', 'instructor']),
  endFrom: z.enum(['lms', 'instructor']),
  milestones: z.array(z.object({ title: z.string(), date: day }))
})
const toTermJson = (t: Term): z.infer<typeof TermJson> => t

/** An empty filter (as a form's "Any" choice sends it) means no filter; the API docs list the empty value too. */
const blankIsAny = <T extends z.ZodType<string>>(schema: T, error: string) =>
  z.union([z.literal(''), schema], { error }).optional().transform((v) => v === '' ? undefined : v as z.output<T> | undefined)
export const ReportFilterQuery = z.object({
  mentorId: blankIsAny(z.union([objectIdString, z.literal('none')]), 'must be a pool mentor\'s id or "none"').describe('A pool mentor\'s id, or "none" for students without one'),
  status: blankIsAny(z.enum(REPORT_STATUSES), `must be one of ${REPORT_STATUSES.join(', ')}`).describe('pending: something waits for verification; verified: all verified; inactive: nothing recorded')
})

const ReportRowJson = z.object({
  studentUserId: z.string(),
  name: z.string(),
  email: z.string(),
  mentorId: z.string().nullable(),
  mentorName: z.string().nullable(),
  progress: ProgressJson,
  recorded: z.object(Object.fromEntries(ACTIVITY_KINDS.map((k) => [k, z.number().int()]))),
  verified: z.number().int(),
  pending: z.number().int(),
  contacts: z.number().int().describe('How many networking contacts; the contacts themselves stay private'),
  lastActivity: day.nullable()
})

/** The course's term, the instructor's course-wide report and the audit trail. */
export const courseApiRoutes: FastifyPluginAsync<CourseApiOptions> = async (app, { requireRole, services }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()

  api.get('/api/v1/term', {
    schema: { ...apiCommon('Term'), summary: 'The course term and its milestones (null until both dates are known)', response: { 200: TermJson.nullable() } },
    preHandler: requireRole('student', 'mentor', 'instructor')
  }, async (request) => termOf(authOf(request).course))

  api.put('/api/v1/term', {
    schema: {
      ...apiCommon('Term'),
      summary: 'Set the term dates and milestones',
      description: 'Dates the LMS sends (custom parameters term_start/term_end or course_start/course_end) win and cannot be changed here.',
      body: TermInput,
      response: { 200: TermJson, ...errorResponses }
    },
    preHandler: requireRole('instructor')
  }, async (request) => {
    const auth = authOf(request)
    return toTermJson(await services.term.save(actorOf(auth), auth.course, request.body))
  })

  api.get('/api/v1/activity-report', {
    schema: { ...apiCommon('Report'), summary: 'One row per active student: counts by kind, verified and pending, goals, last activity', querystring: ReportFilterQuery, response: { 200: z.array(ReportRowJson), ...errorResponses } },
    preHandler: requireRole('instructor')
  }, async (request) => {
    const { rows } = await loadCourseReport(services, authOf(request), request.query)
    return rows.map(({ userId, ...row }) => ({ studentUserId: userId, ...row }))
  })

  api.get('/api/v1/audit', {
    schema: {
      ...apiCommon('Audit'),
      summary: 'The audit trail of the course\'s mentoring record, newest first',
      querystring: z.object({ entity: z.string().max(40).optional().describe('activity, goal, contact, reflection, field-trip or term'), entityId: objectIdString.optional() }),
      response: { 200: z.array(AuditJson), ...errorResponses }
    },
    preHandler: requireRole('instructor')
  }, async (request) => {
    const { entity, entityId } = request.query
    const entries = await services.audit.list(String(authOf(request).course._id), { entity, entityId })
    return entries.map(toAuditJson)
  })
}
