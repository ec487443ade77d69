import type { Types } from 'mongoose'
import type { Milestone } from '../../domain/term/term'
import type { Models } from '../database'

export interface StoredTerm { start?: string, end?: string, milestones: Milestone[] }

/** The instructor's term settings, kept on the course. */
export function createTermRepository ({ courses }: Pick<Models, 'courses'>) {
  return {
    save: async (courseId: Types.ObjectId, term: StoredTerm) =>
      await courses.findOneAndUpdate({ _id: courseId }, { $set: { term } }, { new: true }).lean()
  }
}

export type TermRepository = ReturnType<typeof createTermRepository>
