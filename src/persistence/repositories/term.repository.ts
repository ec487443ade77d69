import type { Id } from '../../domain/ids'
import type { StoredTerm, TermRepository } from '../../domain/term/ports'
import type { Models } from '../database'
import { toObjectId } from '../ids'

/** The instructor's term settings, kept on the course. */
export function createTermRepository ({ courses }: Pick<Models, 'courses'>): TermRepository {
  return {
    save: async (courseId: Id, term: StoredTerm): Promise<void> => {
      await courses.findOneAndUpdate({ _id: toObjectId(courseId) }, { $set: { term } }, { new: true }).lean()
    }
  }
}
