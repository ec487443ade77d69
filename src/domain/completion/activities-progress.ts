import { countProgress, type ProgressCounts } from '../activities/progress-counts'
import type { Id } from '../ids'
import type { ProgressInputReader, ProgressSource } from './ports'
import type { CompletionCounts } from './requirements'

/** The only place completion knows the activities' shapes: their counts, mapped onto the requirement catalogue. */
export function completionCountsOf (p: ProgressCounts): CompletionCounts {
  return {
    sessions: p.verified.session,
    coaching: p.verified.coaching,
    meetings: p.verified.meeting,
    fieldTrips: p.fieldTripsAttended,
    shortGoals: p.goalsSet.short,
    longGoals: p.goalsSet.long,
    reflections: p.reflections
  }
}

/** Beyond this many students, reading the whole course's record is cheaper than a lookup by student. */
const LOOKUP_LIMIT = 50

/** A ProgressSource over the activities' record and their pure counting function. */
export function activitiesProgressSource (readInput: ProgressInputReader, activeStudentIds: (courseId: Id) => Promise<Id[]>): ProgressSource {
  return async (courseId, studentUserIds) => {
    const ids = studentUserIds ? [...studentUserIds] : await activeStudentIds(courseId)
    const input = await readInput(courseId, ids.length <= LOOKUP_LIMIT ? ids : 'all')
    const counts = countProgress(ids, input)
    return new Map([...counts].map(([id, p]) => [id, completionCountsOf(p)]))
  }
}
