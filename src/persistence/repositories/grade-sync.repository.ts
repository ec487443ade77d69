import { randomBytes } from 'node:crypto'
import type { GradeSyncState, GradeSyncStore, LineItemSource, RecomputeState } from '../../domain/grading/ports'
import type { Id } from '../../domain/ids'
import type { Models } from '../database'
import { isDuplicateKey } from '../duplicate-key'
import { toIds, toObjectId } from '../ids'
import { createLeases } from '../leases'

const ofCourse = (courseId: Id) => ({ courseId: toObjectId(courseId) })
const lineItemLease = (courseId: Id): string => `grade-line-item:${courseId}`
const recomputeLease = (courseId: Id): string => `grade-recompute:${courseId}`

/**
 * A course's grade passback state. The line item and the last recompute's outcome live in `grade_syncs` (plain sets,
 * written only under a lease); the leases are `leases` terms; changes waiting for a recompute are `grade_marks`.
 */
export function createGradeSyncRepository ({ gradeSyncs, gradeMarks, leases: leaseModel }: Pick<Models, 'gradeSyncs' | 'gradeMarks' | 'leases'>) {
  const leases = createLeases({ leases: leaseModel })
  /** Creates the course's record if missing; a racing creator's duplicate key means it exists now. */
  const ensure = async (id: Id): Promise<void> => {
    const courseId = toObjectId(id)
    try {
      await gradeSyncs.updateOne({ courseId }, { $setOnInsert: { courseId } }, { upsert: true })
    } catch (err) {
      if (!isDuplicateKey(err)) throw err
    }
  }
  const set = async (courseId: Id, fields: Record<string, unknown>): Promise<void> => {
    await ensure(courseId)
    await gradeSyncs.updateOne(ofCourse(courseId), { $set: fields })
  }
  const marksOf = async (courseId: Id): Promise<string[]> =>
    (await gradeMarks.find(ofCourse(courseId), { _id: 1 }).lean<Array<{ _id: string }>>()).map((m) => m._id)

  return {
    find: async (courseId: Id): Promise<GradeSyncState | null> => await gradeSyncs.findOne(ofCourse(courseId)).lean(),

    noteResourceLink: async (courseId: Id, resourceLinkId: string): Promise<void> => { await set(courseId, { resourceLinkId }) },

    /** The line item a launch named (a deep-linked assignment): it wins over one Mentorlink found or created. */
    useLineItem: async (courseId: Id, lineItemUrl: string, source: LineItemSource): Promise<void> => {
      await set(courseId, { lineItemUrl, lineItemSource: source, lineItemError: null, goneLineItemUrl: null, goneLineItemAt: null })
    },

    /** Takes the right to find or create the course's line item; false while another holds it, or once one exists. */
    claimLineItem: async (courseId: Id, owner: string, leaseMs: number): Promise<boolean> => {
      if (await leases.acquire(lineItemLease(courseId), owner, leaseMs) === null) return false
      // A holder that finished just before this claim has set the line item: nothing left to create.
      if ((await gradeSyncs.findOne(ofCourse(courseId), { lineItemUrl: 1 }).lean())?.lineItemUrl) {
        await leases.release(owner)
        return false
      }
      return true
    },

    setLineItem: async (courseId: Id, owner: string, lineItemUrl: string, source: LineItemSource): Promise<boolean> => {
      if (!await leases.holds(owner)) return false
      await set(courseId, { lineItemUrl, lineItemSource: source, lineItemError: null })
      await leases.release(owner)
      return true
    },

    releaseLineItem: async (courseId: Id, owner: string, error: string): Promise<void> => {
      await set(courseId, { lineItemError: error })
      await leases.release(owner)
    },

    lineItemGone: async (courseId: Id, lineItemUrl: string, { forget }: { forget: boolean }): Promise<void> => {
      await leases.holding(lineItemLease(courseId), async () => {
        const current = (await gradeSyncs.findOne(ofCourse(courseId), { lineItemUrl: 1 }).lean())?.lineItemUrl
        if (current !== lineItemUrl) return
        await set(courseId, { goneLineItemUrl: lineItemUrl, goneLineItemAt: new Date(), ...(forget ? { lineItemUrl: null } : {}) })
      })
    },

    /** Notes that scores of the course may have changed. */
    markDirty: async (courseId: Id): Promise<void> => {
      await gradeMarks.create({ _id: randomBytes(12).toString('hex'), courseId: toObjectId(courseId) })
    },

    claimRecompute: async (courseId: Id, owner: string, leaseMs: number): Promise<boolean> =>
      await leases.acquire(recomputeLease(courseId), owner, leaseMs) !== null,

    renewRecompute: async (owner: string, leaseMs: number): Promise<boolean> => await leases.renew(owner, leaseMs),

    marksOf,

    /** Deletes the marks a recompute covered and notes when it ran; answers whether none remain. */
    clearMarks: async (courseId: Id, marks: readonly string[]): Promise<boolean> => {
      if (marks.length > 0) await gradeMarks.deleteMany({ _id: { $in: marks } })
      await set(courseId, { lastRecomputeAt: new Date(), lastRecomputeError: null })
      return (await marksOf(courseId)).length === 0
    },

    releaseRecompute: async (courseId: Id, owner: string, error?: string): Promise<boolean> => {
      if (error !== undefined) await set(courseId, { lastRecomputeError: error })
      await leases.release(owner)
      return (await marksOf(courseId)).length > 0
    },

    dirtyCourses: async (limit: number): Promise<Id[]> =>
      toIds([...new Set((await gradeMarks.find({}, { courseId: 1 }).lean()).map((m) => String(m.courseId)))].slice(0, limit)),

    /** 'running' while a recompute holds the course, 'waiting' while changes wait for one. */
    recomputeState: async (courseId: Id): Promise<RecomputeState> => {
      if (await leases.heldUntil(recomputeLease(courseId)) !== null) return 'running'
      return (await gradeMarks.findOne(ofCourse(courseId), { _id: 1 }).lean()) ? 'waiting' : 'idle'
    }
  } satisfies GradeSyncStore
}

export type GradeSyncRepository = ReturnType<typeof createGradeSyncRepository>
