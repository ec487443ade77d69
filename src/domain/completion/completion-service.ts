import type { EventPublisher } from '../events/domain-events'
import type { Id } from '../ids'
import { evaluate, type Evaluation } from './evaluate'
import type { CompletionRulesStore, Learner, LearnerStore, ProgressSource } from './ports'
import { zeroCounts } from './requirements'
import { CompletionRulesInput, DEFAULT_RULES, type CompletionRules } from './rules'

export interface StudentCompletion { learner: Learner, evaluation: Evaluation }
export interface CourseRules { rules: CompletionRules, saved: boolean, updatedAt: Date | null }

export interface CompletionServiceDeps {
  rules: CompletionRulesStore
  learners: LearnerStore
  progress: ProgressSource
  events: EventPublisher
}

/** The course's rules (the defaults until the instructor saves some) and what every active student scores under them. */
export function createCompletionService ({ rules, learners, progress, events }: CompletionServiceDeps) {
  /** The saved rules, re-checked as they are read: rules the current catalogue does not accept count as unsaved. */
  const findSaved = async (courseId: Id): Promise<{ rules: CompletionRules, updatedAt: Date } | null> => {
    const stored = await rules.find(courseId)
    if (!stored) return null
    const parsed = CompletionRulesInput.safeParse(stored.fields)
    return parsed.success ? { rules: parsed.data, updatedAt: stored.updatedAt } : null
  }

  return {
    rulesOf: async (courseId: Id): Promise<CourseRules> => {
      const saved = await findSaved(courseId)
      return saved ? { rules: saved.rules, saved: true, updatedAt: saved.updatedAt } : { rules: DEFAULT_RULES, saved: false, updatedAt: null }
    },

    savedRules: async (courseId: Id): Promise<CompletionRules | null> => (await findSaved(courseId))?.rules ?? null,

    hasSavedRules: async (courseId: Id): Promise<boolean> => await rules.exists(courseId),

    saveRules: async (courseId: Id, input: CompletionRules, by: Id): Promise<void> => {
      await rules.save(courseId, input, by)
      await events.publish({ type: 'RulesChanged', courseId, byUserId: by })
    },

    /** Active students (all, or those given) with what they would score now under `withRules`, sorted by name. */
    evaluateCourse: async (courseId: Id, withRules: CompletionRules, only?: readonly Id[]): Promise<StudentCompletion[]> => {
      const people = await learners.active(courseId, only)
      if (people.length === 0) return []
      const counts = await progress(courseId, people.map((p) => p.userId))
      return people.map((learner) => ({ learner, evaluation: evaluate(withRules, counts.get(learner.userId) ?? zeroCounts()) }))
    }
  }
}

export type CompletionService = ReturnType<typeof createCompletionService>
