import { countProgress, emptyProgress, type ProgressCounts } from '../activities/progress-counts'
import type { Id } from '../ids'
import { participatingStudents, type CourseTable } from '../progress/course-table'
import type { ProgressInputReader, ProgressSource } from './ports'
import { zeroCounts, type CompletionCounts } from './requirements'

/** The only place completion knows the activities' shapes: their counts, mapped onto the requirement catalogue. */
export function completionCountsOf (p: ProgressCounts): CompletionCounts {
  return {
    sessions: p.verified.session,
    coaching: p.verified.coaching,
    meetings: p.verified.meeting,
    fieldTrips: p.fieldTripsAttended,
    shortGoals: p.goalsSet.short,
    longGoals: p.goalsSet.long,
    reflections: p.reflections,
    // Assessments are not activities: `withSelfAssessments` adds their count.
    assessments: 0
  }
}

/** A ProgressSource with each student's number of submitted self-assessments added to the activities' counts. */
export function withSelfAssessments (source: ProgressSource, selfAssessments: (courseId: Id) => Promise<ReadonlyMap<Id, number>>): ProgressSource {
  return async (courseId, studentUserIds) => {
    const [counts, submitted] = await Promise.all([source(courseId, studentUserIds), selfAssessments(courseId)])
    for (const [id, n] of submitted) {
      if (studentUserIds !== undefined && !studentUserIds.includes(id)) continue
      const own = counts.get(id)
      if (own !== undefined) own.assessments = n
      else if (studentUserIds !== undefined) counts.set(id, { ...zeroCounts(), assessments: n })
    }
    return counts
  }
}

/** Beyond this many students, reading the whole course's record is cheaper than a lookup by student. */
const LOOKUP_LIMIT = 50

/**
 * A ProgressSource over the activities' record: a few students' entries counted by the pure counting function, or,
 * for more (and for the whole course), the counts the course table keeps for every student.
 */
export function activitiesProgressSource (readInput: ProgressInputReader, readTable: (courseId: Id) => Promise<CourseTable>): ProgressSource {
  return async (courseId, studentUserIds) => {
    if (studentUserIds !== undefined && studentUserIds.length <= LOOKUP_LIMIT) {
      const counts = countProgress(studentUserIds, await readInput(courseId, [...studentUserIds]))
      return new Map([...counts].map(([id, p]) => [id, completionCountsOf(p)]))
    }
    const table = await readTable(courseId)
    const ids = studentUserIds ?? participatingStudents(table).map(([id]) => id)
    return new Map(ids.map((id) => [id, completionCountsOf(table.get(id)?.line?.progress ?? emptyProgress())]))
  }
}
