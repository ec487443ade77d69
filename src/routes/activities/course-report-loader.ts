import type { Auth } from '../../auth/require-session'
import { filterRows, sortRows, type ReportFilter, type ReportSort } from '../../domain/activities/course-report'
import { tableReportRows } from '../../domain/progress/course-table'
import type { ActivityServices } from '../../services'
import { poolIdOf } from './actor'

/**
 * The course report from the progress read model's course table (a few documents, however large the course): every
 * active student's row, filtered and sorted, with the pool's mentors for the filter and the table for the chart.
 */
export async function loadCourseReport (services: Pick<ActivityServices, 'progress'>, auth: Auth, filter: ReportFilter, sort?: ReportSort) {
  const [table, mentors] = await Promise.all([services.progress.table(String(auth.course._id)), services.progress.poolMentors(poolIdOf(auth))])
  const rows = tableReportRows(table, new Map(mentors.map((m) => [m.id, m.name])))
  return { table, mentors, rows: sortRows(filterRows(rows, filter), sort) }
}
