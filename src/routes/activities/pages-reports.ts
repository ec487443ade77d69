import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { authOf, type Auth, type RequireRole } from '../../auth/require-session'
import { filterRows, reportCsv, reportRows, weeklyActivity, type ReportFilter } from '../../domain/activities/course-report'
import { termOf } from '../../domain/term/term'
import { pageContext } from '../../http/page-context'
import { ReportFilterQuery } from './api-course'
import { PageQuery } from './form-page'
import type { ActivityServices } from '../../services'
import { poolIdOf } from './actor'
import { weekChart } from './week-chart'

export interface ReportPagesOptions { requireRole: RequireRole, services: ActivityServices }

const ReportQuery = PageQuery.extend(ReportFilterQuery.shape)
const STATUS_OPTIONS = [
  { value: '', label: 'Any' },
  { value: 'pending', label: 'Has entries waiting for verification' },
  { value: 'verified', label: 'Everything verified' },
  { value: 'inactive', label: 'Nothing recorded yet' }
]

/** The instructor's course-wide view: a row per student, filters, CSV export and a weekly activity chart. */
export const reportPages: FastifyPluginAsync<ReportPagesOptions> = async (app, { requireRole, services }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const instructor = requireRole('instructor')

  const load = async (auth: Auth, filter: ReportFilter) => {
    const [{ students, mentors }, input] = await Promise.all([services.progress.students(String(auth.course._id), poolIdOf(auth)), services.progress.input(String(auth.course._id), 'all')])
    return { mentors, input, rows: filterRows(reportRows(students, input), filter) }
  }

  api.get('/instructor/activities', { schema: { hide: true, querystring: ReportQuery }, preHandler: instructor }, async (request, reply) => {
    const auth = authOf(request)
    const { mentorId, status } = request.query
    const { mentors, input, rows } = await load(auth, { mentorId, status })
    const term = termOf(auth.course)
    const filterQuery = new URLSearchParams(Object.entries({ mentorId, status }).filter((e): e is [string, string] => e[1] !== undefined)).toString()
    return await reply.view('pages/activity-report', {
      ...pageContext(auth, 'Activities', 'activities'),
      term,
      filtered: mentorId !== undefined || status !== undefined,
      mentorOptions: [{ value: '', label: 'Any' }, { value: 'none', label: 'No mentor yet' }, ...mentors.map((m) => ({ value: m.id, label: m.name }))]
        .map((o) => ({ ...o, selected: o.value === (mentorId ?? '') })),
      statusOptions: STATUS_OPTIONS.map((o) => ({ ...o, selected: o.value === (status ?? '') })),
      csvHref: `/instructor/activities.csv${filterQuery ? `?${filterQuery}` : ''}`,
      rows: rows.map((r) => ({ ...r, href: `/instructor/students/${r.userId}`, goals: `${r.progress.goalsSet.short} / ${r.progress.goalsSet.long}` })),
      chart: term ? weekChart(weeklyActivity(term, input)) : null
    })
  })

  api.get('/instructor/activities.csv', { schema: { hide: true, querystring: ReportQuery }, preHandler: instructor }, async (request, reply) => {
    const auth = authOf(request)
    const { rows } = await load(auth, { mentorId: request.query.mentorId, status: request.query.status })
    const name = (auth.course.label || auth.course.title || 'course').replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()
    return await reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}-activities.csv"`)
      .send(reportCsv(rows))
  })
}
