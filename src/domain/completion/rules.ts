import { z } from 'zod'
import { REQUIREMENT_KEYS, type RequirementKey } from './requirements'
import { RUNNING_SCORES } from './vocabulary'

export { RUNNING_SCORES, type RunningScores } from './vocabulary'


const wholeNumber = (max: number) => {
  const range = `must be a whole number from 0 to ${max}`
  return z.number({ error: range }).int(range).min(0, range).max(max, range)
}

/** One requirement: how many are needed (0 = not required) and the points it is worth. */
export const Requirement = z.strictObject({ need: wholeNumber(100), points: wholeNumber(1000) })
export type Requirement = z.infer<typeof Requirement>

/** At most one self-assessment per point: start, mid-term and end. Rules saved before it existed read it as not required. */
const AssessmentsRequirement = z.strictObject({
  need: wholeNumber(100).max(3, 'must be a whole number from 0 to 3 (one self-assessment per point)'),
  points: wholeNumber(1000)
}).default({ need: 0, points: 0 })

const requirementsShape = { ...Object.fromEntries(REQUIREMENT_KEYS.map((k) => [k, Requirement])), assessments: AssessmentsRequirement } as unknown as Record<RequirementKey, typeof Requirement>

/**
 * The instructor's completion rules. `partialCredit`: students get the points of what they have done so far
 * (proportionally per requirement); without it the score is all or nothing. `runningScores`: scores before
 * completion are shown in the gradebook (FullyGraded) or held back (Pending) until the student completes.
 */
export const CompletionRulesInput = z.strictObject({
  requirements: z.strictObject(requirementsShape),
  partialCredit: z.boolean({ error: 'must be true or false' }),
  runningScores: z.enum(RUNNING_SCORES, { error: `must be one of: ${RUNNING_SCORES.join(', ')}` })
}).superRefine((rules, ctx) => {
  const required = REQUIREMENT_KEYS.filter((k) => rules.requirements[k].need > 0)
  if (required.length === 0) ctx.addIssue({ code: 'custom', path: ['requirements'], message: 'must require at least one activity (a need above 0)' })
  else if (scoreMaximumOf(rules) === 0) ctx.addIssue({ code: 'custom', path: ['requirements'], message: 'must give points to at least one required activity' })
})
export type CompletionRules = z.infer<typeof CompletionRulesInput>

/** Six verified sessions, two field trips, an observed meeting, a short- and a long-term goal and a final reflection. */
export const DEFAULT_RULES: CompletionRules = {
  requirements: {
    sessions: { need: 6, points: 30 },
    coaching: { need: 0, points: 0 },
    meetings: { need: 1, points: 10 },
    fieldTrips: { need: 2, points: 20 },
    shortGoals: { need: 1, points: 10 },
    longGoals: { need: 1, points: 10 },
    reflections: { need: 1, points: 20 },
    assessments: { need: 0, points: 0 }
  },
  partialCredit: true,
  runningScores: 'shown'
}

/** The points of the required activities: the score a complete student gets, and the gradebook column's maximum. */
export function scoreMaximumOf (rules: Pick<CompletionRules, 'requirements'>): number {
  return REQUIREMENT_KEYS.reduce((sum, k) => sum + (rules.requirements[k].need > 0 ? rules.requirements[k].points : 0), 0)
}
