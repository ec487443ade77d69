import type { ProgressLoader } from '../activities/progress-loader'
import { countProgress, type ProgressCounts } from '../activities/progress-counts'
import type { ProgressSource } from './progress-source'
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

/** A ProgressSource over the activities' loader and their pure counting function. */
export function activitiesProgressSource (loader: Pick<ProgressLoader, 'input'>, activeStudentIds: (courseId: string) => Promise<string[]>): ProgressSource {
  return async (courseId, studentUserIds) => {
    const ids = studentUserIds ? [...studentUserIds] : await activeStudentIds(courseId)
    const scope = ids.length <= LOOKUP_LIMIT ? ids : 'all'
    const input = await loader.input(courseId, scope)
    const counts = countProgress(ids, input)
    return new Map([...counts].map(([id, p]) => [id, completionCountsOf(p)]))
  }
}
