/** Whether students' scores reach the gradebook as they go ('shown') or only once they complete ('held'). */
export const RUNNING_SCORES = ['shown', 'held'] as const
export type RunningScores = typeof RUNNING_SCORES[number]
