/** Words of the pairing workflow that every layer shares. */

/** What a student's intake holds that pairing can use. */
export interface IntakeContent { interests?: readonly string[] | null, shortTermGoal?: string | null, longTermGoal?: string | null }

/** An intake counts as filled only when it says something: an interest or a goal (a saved empty form does not). */
export const saysSomething = (intake: IntakeContent | null | undefined): boolean =>
  intake != null && ((intake.interests?.length ?? 0) > 0 || (intake.shortTermGoal ?? '').trim() !== '' || (intake.longTermGoal ?? '').trim() !== '')
