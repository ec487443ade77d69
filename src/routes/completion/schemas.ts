import { z } from 'zod'
import { REQUIREMENT_KEYS } from '../../domain/completion/requirements'
import { CompletionRulesInput, RUNNING_SCORES } from '../../domain/completion/rules'
import type { StudentCompletion } from '../../domain/completion/completion-service'

const RequirementKey = z.enum(REQUIREMENT_KEYS)

export const RulesJson = z.object({
  rules: z.object({
    requirements: z.record(RequirementKey, z.object({ need: z.number().int(), points: z.number().int() })),
    partialCredit: z.boolean(),
    runningScores: z.enum(RUNNING_SCORES)
  }),
  saved: z.boolean().describe('False until the instructor saves rules: the defaults shown apply, and no grades are sent yet'),
  scoreMaximum: z.number(),
  updatedAt: z.string().nullable()
})

export const MissingJson = z.object({ requirement: RequirementKey, label: z.string(), have: z.number().int(), need: z.number().int() })

export const StudentCompletionJson = z.object({
  studentUserId: z.string(),
  name: z.string(),
  score: z.number(),
  scoreMaximum: z.number(),
  complete: z.boolean(),
  missing: z.array(MissingJson),
  items: z.array(MissingJson.extend({ points: z.number(), earned: z.number(), met: z.boolean() }))
})

export const RecomputeJson = z.object({
  status: z.enum(['done', 'queued', 'rules-not-saved', 'unavailable', 'failed']),
  enqueued: z.number().int().describe('Scores that changed and now wait to be sent'),
  students: z.number().int(),
  reason: z.string().optional()
})

/** The rules as the API takes them: every requirement, partial credit and running scores (see domain/completion/rules). */
export const RulesBody = CompletionRulesInput

export function toStudentCompletionJson ({ learner, evaluation }: StudentCompletion): z.infer<typeof StudentCompletionJson> {
  const { score, scoreMaximum, complete, missing, items } = evaluation
  return { studentUserId: String(learner.userId), name: learner.name, score, scoreMaximum, complete, missing, items }
}
