import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf, type RequireRole } from '../../auth/require-session'
import { REPORT_SORTS, reportCsv, weeklyActivityOfDays } from '../../domain/activities/course-report'
import { activeStudentDays } from '../../domain/progress/course-table'
import { termOf } from '../../domain/term/term'
import { pageContext } from '../../http/page-context'
import { pageOf, PageNumber, pagerOf } from '../../http/pagination'
import { ReportFilterQuery } from './api-course'
import { loadCourseReport } from './course-report-loader'
import { PageQuery } from './form-page'
import type { ActivityServices } from '../../services'
import { weekChart } from './week-chart'

export interface ReportPagesOptions { requireRole: RequireRole, services: ActivityServices }

const SortQuery = z.object({ sort: z.preprocess((v) => v === '' ? undefined : v, z.enum(REPORT_SORTS, { error: 'Sort by name, mentor, waiting or last-activity' }).optional()) })
const ReportQuery = PageQuery.extend(ReportFilterQuery.shape).extend(SortQuery.shape).extend({ page: PageNumber })
const STATUS_OPTIONS = [
  { value: '', label: 'Any' },
  { value: 'pending', label: 'Has entries waiting for verification' },
  { value: 'verified', label: 'Everything verified' },
  { value: 'inactive', label: 'Nothing recorded yet' }
]
const SORT_OPTIONS = [
  { value: 'name', label: 'Name' },
  { value: 'mentor', label: 'Mentor' },
  { value: 'waiting', label: 'Most entries waiting first' },
  { value: 'last-activity', label: 'Longest without activity first' }
]
const options = (list: ReadonlyArray<{ value: string, label: string }>, chosen: string | undefined) => list.map((o) => ({ ...o, selected: o.value === (chosen ?? '') }))

/** The instructor's course-wide view: a page of the students at a time, filters and sorting, CSV export and a weekly activity chart. */
export const reportPages: FastifyPluginAsync<ReportPagesOptions> = async (app, { requireRole, services }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const instructor = requireRole('instructor')

  api.get('/instructor/activities', { schema: { hide: true, querystring: ReportQuery }, preHandler: instructor }, async (request, reply) => {
    const auth = authOf(request)
    const { mentorId, status, sort } = request.query
    const { mentors, table, rows } = await loadCourseReport(services, auth, { mentorId, status }, sort)
    const term = termOf(auth.course)
    const kept = { mentorId, status, sort }
    const keptQuery = new URLSearchParams(Object.entries(kept).filter((e): e is [string, string] => e[1] !== undefined)).toString()
    const page = pagerOf(pageOf(rows, request.query.page), '/instructor/activities', kept, 'students-title')
    const { activityDays, tripDays } = activeStudentDays(table)
    return await reply.view('pages/activity-report', {
      ...pageContext(auth, 'Activities', 'activities'),
      term,
      filtered: mentorId !== undefined || status !== undefined,
      mentorOptions: options([{ value: '', label: 'Any' }, { value: 'none', label: 'No mentor yet' }, ...mentors.map((m) => ({ value: m.id, label: m.name }))], mentorId),
      statusOptions: options(STATUS_OPTIONS, status),
      sortOptions: options(SORT_OPTIONS, sort ?? 'name'),
      csvHref: `/instructor/activities.csv${keptQuery ? `?${keptQuery}` : ''}`,
      pager: page,
      rows: page.rows.map((r) => ({ ...r, href: `/instructor/students/${r.userId}`, goals: `${r.progress.goalsSet.short} / ${r.progress.goalsSet.long}` })),
      chart: term ? weekChart(weeklyActivityOfDays(term, activityDays, tripDays)) : null
    })
  })

  api.get('/instructor/activities.csv', { schema: { hide: true, querystring: ReportQuery }, preHandler: instructor }, async (request, reply) => {
    const auth = authOf(request)
    const { mentorId, status, sort } = request.query
    const { rows } = await loadCourseReport(services, auth, { mentorId, status }, sort)
    const name = (auth.course.label || auth.course.title || 'course').replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()
    return await reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}-activities.csv"`)
      .send(reportCsv(rows))
  })
}
