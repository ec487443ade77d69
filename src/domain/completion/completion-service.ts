import type { Types } from 'mongoose'
import type { CompletionRulesRepository } from '../../persistence/repositories/completion-rules.repository'
import type { Learner, LearnerRepository } from '../../persistence/repositories/learner.repository'
import { evaluate, type Evaluation } from './evaluate'
import type { ProgressSource } from './progress-source'
import { zeroCounts } from './requirements'
import { DEFAULT_RULES, type CompletionRules } from './rules'

type Id = Types.ObjectId

export interface StudentCompletion { learner: Learner, evaluation: Evaluation }
export interface CourseRules { rules: CompletionRules, saved: boolean, updatedAt: Date | null }

export interface CompletionServiceDeps {
  rules: CompletionRulesRepository
  learners: Pick<LearnerRepository, 'active'>
  progress: ProgressSource
}

/** The course's rules (the defaults until the instructor saves some) and what every active student scores under them. */
export function createCompletionService ({ rules, learners, progress }: CompletionServiceDeps) {
  return {
    rulesOf: async (courseId: Id): Promise<CourseRules> => {
      const saved = await rules.find(courseId)
      return saved ? { rules: saved.rules, saved: true, updatedAt: saved.updatedAt } : { rules: DEFAULT_RULES, saved: false, updatedAt: null }
    },

    savedRules: async (courseId: Id): Promise<CompletionRules | null> => (await rules.find(courseId))?.rules ?? null,

    hasSavedRules: async (courseId: Id): Promise<boolean> => await rules.exists(courseId),

    saveRules: async (courseId: Id, input: CompletionRules, by: Id): Promise<void> => { await rules.save(courseId, input, by) },

    /** Active students (all, or those given) with what they would score now under `withRules`, sorted by name. */
    evaluateCourse: async (courseId: Id, withRules: CompletionRules, only?: readonly Id[]): Promise<StudentCompletion[]> => {
      const people = await learners.active(courseId, only)
      if (people.length === 0) return []
      const counts = await progress(String(courseId), people.map((p) => String(p.userId)))
      return people.map((learner) => ({ learner, evaluation: evaluate(withRules, counts.get(String(learner.userId)) ?? zeroCounts()) }))
    }
  }
}

export type CompletionService = ReturnType<typeof createCompletionService>
