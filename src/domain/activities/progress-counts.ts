import {
  ACTIVITY_KINDS, COACHING_SKILLS, GOAL_HORIZONS,
  type ActivityKind, type AttendanceStatus, type CoachingSkill, type GoalHorizon, type GoalStatus, type VerificationStatus
} from './vocabulary'

/** Live (not deleted) entries of a course, ids as strings: what completion is computed from. */
export interface ProgressInput {
  activities: ReadonlyArray<{ studentUserId: string, kind: ActivityKind, status: VerificationStatus, skill?: CoachingSkill | null }>
  attendance: ReadonlyArray<{ studentUserId: string, status: AttendanceStatus }>
  goals: ReadonlyArray<{ studentUserId: string, horizon: GoalHorizon, status: GoalStatus }>
  reflections: ReadonlyArray<{ studentUserId: string }>
}

/**
 * One student's countable progress. Every key is always present (zero when nothing counts), so a completion rule
 * such as "verified.session >= 6" or "coaching.negotiation >= 1" reads a number without checking for absence.
 * Only verified activities count; pending and returned ones do not.
 */
export interface ProgressCounts {
  verified: Record<ActivityKind, number>
  coaching: Record<CoachingSkill, number>
  fieldTripsAttended: number
  goalsSet: Record<GoalHorizon, number>
  goalsAchieved: Record<GoalHorizon, number>
  reflections: number
}

const zeros = <K extends string>(keys: readonly K[]): Record<K, number> => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>

export const emptyProgress = (): ProgressCounts => ({
  verified: zeros(ACTIVITY_KINDS),
  coaching: zeros(COACHING_SKILLS),
  fieldTripsAttended: 0,
  goalsSet: zeros(GOAL_HORIZONS),
  goalsAchieved: zeros(GOAL_HORIZONS),
  reflections: 0
})

/** Counts per student, for exactly the students given (entries of anyone else are ignored). Pure. */
export function countProgress (studentIds: readonly string[], input: ProgressInput): Map<string, ProgressCounts> {
  const counts = new Map(studentIds.map((id) => [id, emptyProgress()]))
  for (const a of input.activities) {
    const c = counts.get(a.studentUserId)
    if (!c || a.status !== 'verified') continue
    c.verified[a.kind]++
    if (a.kind === 'coaching' && a.skill && a.skill in c.coaching) c.coaching[a.skill]++
  }
  for (const a of input.attendance) {
    const c = counts.get(a.studentUserId)
    if (c && a.status === 'present') c.fieldTripsAttended++
  }
  for (const g of input.goals) {
    const c = counts.get(g.studentUserId)
    if (!c) continue
    c.goalsSet[g.horizon]++
    if (g.status === 'achieved') c.goalsAchieved[g.horizon]++
  }
  for (const r of input.reflections) {
    const c = counts.get(r.studentUserId)
    if (c) c.reflections++
  }
  return counts
}
