import { stringify } from 'csv-stringify/sync'
import { protect } from '../activities/course-report'
import type { Id } from '../ids'
import type { Assessment } from './ports'
import type { Competency } from './vocabulary'

/** Every rating of a course, one row each: who was rated, at which point, by whom, on what, the level and the comment. */
export function ratingsCsv (competencies: readonly Competency[], assessments: readonly Assessment[], names: ReadonlyMap<Id, string>): string {
  const header = ['student', 'student_id', 'point', 'rated_by', 'rater_id', 'competency', 'competency_key', 'level', 'comment', 'submitted_at', 'late']
  const nameOf = new Map(competencies.map((c) => [c.key, c.name]))
  const rows = assessments.flatMap((a) => a.ratings.map((r) => [
    protect(names.get(a.studentUserId) ?? ''), a.studentUserId, a.point, a.side, a.byUserId,
    protect(nameOf.get(r.competency) ?? r.competency), r.competency, r.level, protect(r.comment), a.submittedAt.toISOString(), a.late ? 'yes' : 'no'
  ]))
  return stringify([header, ...rows])
}
