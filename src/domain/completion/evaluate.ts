import { REQUIREMENT_KEYS, REQUIREMENTS, type CompletionCounts, type RequirementKey } from './requirements'
import { scoreMaximumOf, type CompletionRules } from './rules'

export interface RequirementState { requirement: RequirementKey, label: string, have: number, need: number, points: number, earned: number, met: boolean }
export interface Missing { requirement: RequirementKey, label: string, have: number, need: number }

export interface Evaluation {
  score: number
  scoreMaximum: number
  complete: boolean
  /** Required items only, in catalogue order. */
  items: RequirementState[]
  missing: Missing[]
}

const round2 = (n: number): number => Math.round(n * 100) / 100

/**
 * What a student scores under the rules and what they still miss. Pure. With partial credit each requirement earns
 * its points in proportion to how much of it is done; without, the score is the maximum once complete, else 0.
 */
export function evaluate (rules: CompletionRules, counts: CompletionCounts): Evaluation {
  const scoreMaximum = scoreMaximumOf(rules)
  const items = REQUIREMENT_KEYS.filter((k) => rules.requirements[k].need > 0).map((requirement): RequirementState => {
    const { need, points } = rules.requirements[requirement]
    const have = Math.max(0, counts[requirement])
    return { requirement, label: REQUIREMENTS[requirement].label, have, need, points, earned: points * Math.min(have / need, 1), met: have >= need }
  })
  const complete = items.every((i) => i.met)
  const partial = items.reduce((sum, i) => sum + i.earned, 0)
  return {
    score: complete ? scoreMaximum : rules.partialCredit ? Math.min(round2(partial), scoreMaximum) : 0,
    scoreMaximum,
    complete,
    items: items.map((i) => ({ ...i, earned: round2(i.earned) })),
    missing: items.filter((i) => !i.met).map(({ requirement, label, have, need }) => ({ requirement, label, have, need }))
  }
}
