/** The words of the mentoring record: kinds, skills, statuses and their labels, shared by API, pages and models. */

export const ACTIVITY_KINDS = ['session', 'coaching', 'meeting'] as const
export type ActivityKind = typeof ACTIVITY_KINDS[number]
export const ACTIVITY_KIND_LABELS: Record<ActivityKind, string> = {
  session: '1:1 mentoring session',
  coaching: 'Skills coaching',
  meeting: 'Observed high-level meeting'
}

export const COACHING_SKILLS = ['negotiation', 'persuasion', 'leadership'] as const
export type CoachingSkill = typeof COACHING_SKILLS[number]
export const COACHING_SKILL_LABELS: Record<CoachingSkill, string> = {
  negotiation: 'Bargaining and negotiation',
  persuasion: 'Oral persuasion and rhetoric',
  leadership: 'Leadership and decision making'
}

/**
 * Student-logged entries wait for their mentor; what a mentor records is verified at once. A booked 1:1 session is
 * `planned` until the student completes it (then it waits for the mentor like any entry they log).
 */
export const VERIFICATION_STATUSES = ['pending', 'verified', 'rejected', 'planned'] as const
export type VerificationStatus = typeof VERIFICATION_STATUSES[number]
export const VERIFICATION_LABELS: Record<VerificationStatus, string> = { pending: 'Waiting for mentor', verified: 'Verified', rejected: 'Returned', planned: 'Booked (to complete after the session)' }
/** Whether an entry tells of something that took place: not a returned one, nor a session still to come. */
export const tookPlace = (status: VerificationStatus): boolean => status === 'pending' || status === 'verified'

export const GOAL_HORIZONS = ['short', 'long'] as const
export type GoalHorizon = typeof GOAL_HORIZONS[number]
export const GOAL_HORIZON_LABELS: Record<GoalHorizon, string> = { short: 'Short-term', long: 'Long-term' }

export const GOAL_STATUSES = ['not-started', 'in-progress', 'achieved', 'dropped'] as const
export type GoalStatus = typeof GOAL_STATUSES[number]
export const GOAL_STATUS_LABELS: Record<GoalStatus, string> = {
  'not-started': 'Not started', 'in-progress': 'In progress', achieved: 'Achieved', dropped: 'Dropped'
}

export const ATTENDANCE_STATUSES = ['present', 'absent', 'excused'] as const
export type AttendanceStatus = typeof ATTENDANCE_STATUSES[number]
export const ATTENDANCE_LABELS: Record<AttendanceStatus, string> = { present: 'Present', absent: 'Absent', excused: 'Excused' }

export const RSVP_ANSWERS = ['yes', 'no'] as const
export type RsvpAnswer = typeof RSVP_ANSWERS[number]
/** What an answer stands as: a yes to a full trip open to the course waits for a seat. */
export const RSVP_STATES = ['yes', 'no', 'waiting'] as const
export type RsvpState = typeof RSVP_STATES[number]

/** Which kinds a student may log themselves (pending until verified); mentors record every kind. */
export const STUDENT_LOGGED_KINDS: readonly ActivityKind[] = ['session', 'meeting']

export const optionsOf = <K extends string>(labels: Record<K, string>) =>
  (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value] }))
