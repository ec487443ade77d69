import type { CompletionRulesStore, StoredRules } from '../../domain/completion/ports'
import type { Id } from '../../domain/ids'
import type { Models } from '../database'
import { retryOnDuplicateKey } from '../duplicate-key'
import { toObjectId } from '../ids'

export function createCompletionRulesRepository ({ completionRules }: Pick<Models, 'completionRules'>) {
  return {
    find: async (courseId: Id): Promise<StoredRules | null> => {
      const doc = await completionRules.findOne({ courseId: toObjectId(courseId) }).lean()
      if (!doc) return null
      return { fields: { requirements: doc.requirements, partialCredit: doc.partialCredit, runningScores: doc.runningScores }, updatedAt: doc.updatedAt }
    },

    exists: async (courseId: Id): Promise<boolean> => await completionRules.exists({ courseId: toObjectId(courseId) }) !== null,

    save: async (courseId: Id, rules: Parameters<CompletionRulesStore['save']>[1], by: Id): Promise<void> => {
      await retryOnDuplicateKey(async () => await completionRules.updateOne({ courseId: toObjectId(courseId) }, { $set: { ...rules, updatedBy: toObjectId(by) } }, { upsert: true }))
    }
  } satisfies CompletionRulesStore
}

export type CompletionRulesRepository = ReturnType<typeof createCompletionRulesRepository>
