/** Words of the pairing workflow that every layer shares. */

/** What a student's intake holds that pairing can use. */
export interface IntakeContent { interests?: readonly string[] | null, shortTermGoal?: string | null, longTermGoal?: string | null }

/** An intake counts as filled only when it says something: an interest or a goal (a saved empty form does not). */
export const saysSomething = (intake: IntakeContent | null | undefined): boolean =>
  intake != null && ((intake.interests?.length ?? 0) > 0 || (intake.shortTermGoal ?? '').trim() !== '' || (intake.longTermGoal ?? '').trim() !== '')

/** What a change to a course's pairing can be, as its history names it. */
export const PAIRING_CHANGE_KINDS = [
  'run', 'publish', 'place', 'move', 'swap', 'release', 'repair-preview', 'republish', 'unpublish',
  'request', 'request-accepted', 'request-declined', 'reminder'
] as const
export type PairingChangeKind = typeof PAIRING_CHANGE_KINDS[number]

/** Who may ask for a different pairing, and what becomes of the request. */
export const REMATCH_ROLES = ['student', 'mentor'] as const
export const REMATCH_STATUSES = ['open', 'accepted', 'declined'] as const
