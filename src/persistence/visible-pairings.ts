import type { Types } from 'mongoose'
import type { Models } from './database'

type Filter = { courseId: Types.ObjectId } & Record<string, unknown>

/**
 * The pairings people see: active ones, except those a publication wrote before it completed. A publication writes
 * its pairs under its id and completes by one write to the plan (`publicationId`), so a pair carrying another
 * publication's id belongs to an attempt that did not complete. Pairs placed outside a publication carry none.
 * (Switching the pairs to active after the plan's write would be a second step, and an `updateMany` of thousands of
 * documents takes minutes on the embedded database: its cost grows with the square of their number.)
 */
export function createVisiblePairings (m: Pick<Models, 'pairings' | 'pairingPlans'>) {
  return async (filter: Filter, projection?: Record<string, 1>) => {
    const fields = projection ? { ...projection, publicationId: 1 } : undefined
    const rows = await m.pairings.find({ ...filter, status: 'active' }, fields).lean()
    if (!rows.some((r) => r.publicationId)) return rows
    const completed = (await m.pairingPlans.findOne({ courseId: filter.courseId }, { publicationId: 1 }).lean())?.publicationId
    return rows.filter((r) => !r.publicationId || (completed != null && r.publicationId.equals(completed)))
  }
}
