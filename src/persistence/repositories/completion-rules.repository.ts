import type { Types } from 'mongoose'
import { CompletionRulesInput, type CompletionRules } from '../../domain/completion/rules'
import type { Models } from '../database'
import { retryOnDuplicateKey } from '../duplicate-key'

type Id = Types.ObjectId

export interface SavedRules { rules: CompletionRules, updatedAt: Date }

export function createCompletionRulesRepository ({ completionRules }: Pick<Models, 'completionRules'>) {
  return {
    /** The saved rules, re-checked as they are read: a document the current catalogue does not accept counts as unsaved. */
    find: async (courseId: Id): Promise<SavedRules | null> => {
      const doc = await completionRules.findOne({ courseId }).lean()
      if (!doc) return null
      const parsed = CompletionRulesInput.safeParse({ requirements: doc.requirements, partialCredit: doc.partialCredit, runningScores: doc.runningScores })
      return parsed.success ? { rules: parsed.data, updatedAt: doc.updatedAt } : null
    },

    exists: async (courseId: Id): Promise<boolean> => await completionRules.exists({ courseId }) !== null,

    save: async (courseId: Id, rules: CompletionRules, by: Id): Promise<void> => {
      await retryOnDuplicateKey(async () => await completionRules.updateOne({ courseId }, { $set: { ...rules, updatedBy: by } }, { upsert: true }))
    }
  }
}

export type CompletionRulesRepository = ReturnType<typeof createCompletionRulesRepository>
