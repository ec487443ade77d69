import type { GradeSyncState, GradeSyncStore, LineItemSource } from '../../domain/grading/ports'
import type { Id } from '../../domain/ids'
import type { Models } from '../database'
import { isDuplicateKey } from '../duplicate-key'
import { toIds, toObjectId } from '../ids'
import type { WriteQueue } from '../write-queue'

const expired = (field: string, now: Date) => ({ $or: [{ [field]: null }, { [field]: { $lte: now } }] })
const ofCourse = (courseId: Id) => ({ courseId: toObjectId(courseId) })


/** A course's grade passback state: its line item (and the claim to create one), and the recompute flag and lease. */
/** `serially` runs compare-and-set writes one at a time where the server needs it (Database.writeQueue). */
export function createGradeSyncRepository ({ gradeSyncs }: Pick<Models, 'gradeSyncs'>, serially: WriteQueue) {
  /** Creates the course's record if missing; a racing creator's duplicate key means it exists now. */
  const ensure = async (id: Id): Promise<void> => {
    const courseId = toObjectId(id)
    try {
      await serially(async () => await gradeSyncs.updateOne({ courseId }, { $setOnInsert: { courseId } }, { upsert: true }))
    } catch (err) {
      if (!isDuplicateKey(err)) throw err
    }
  }

  return {
    find: async (courseId: Id): Promise<GradeSyncState | null> => await gradeSyncs.findOne(ofCourse(courseId)).lean(),

    noteResourceLink: async (courseId: Id, resourceLinkId: string): Promise<void> => {
      await ensure(courseId)
      await serially(async () => await gradeSyncs.updateOne(ofCourse(courseId), { $set: { resourceLinkId } }))
    },

    /** The line item a launch named (a deep-linked assignment): it wins over one Mentorlink found or created. */
    useLineItem: async (courseId: Id, lineItemUrl: string, source: LineItemSource): Promise<void> => {
      await ensure(courseId)
      await serially(async () => await gradeSyncs.updateOne(ofCourse(courseId), { $set: { lineItemUrl, lineItemSource: source, lineItemError: null } }))
    },

    /** Atomically takes the right to find or create the course's line item; false while another holds it. */
    claimLineItem: async (courseId: Id, owner: string, leaseMs: number, now = new Date()): Promise<boolean> => {
      await ensure(courseId)
      const claimed = await serially(async () => await gradeSyncs.findOneAndUpdate(
        { ...ofCourse(courseId), lineItemUrl: null, ...expired('lineItemClaimUntil', now) },
        { $set: { lineItemOwner: owner, lineItemClaimUntil: new Date(now.getTime() + leaseMs) } },
        { new: true }
      ).lean())
      return claimed?.lineItemOwner === owner
    },

    setLineItem: async (courseId: Id, owner: string, lineItemUrl: string, source: LineItemSource): Promise<boolean> =>
      (await serially(async () => await gradeSyncs.updateOne({ ...ofCourse(courseId), lineItemOwner: owner }, {
        $set: { lineItemUrl, lineItemSource: source, lineItemOwner: null, lineItemClaimUntil: null, lineItemError: null }
      }))).matchedCount === 1,

    releaseLineItem: async (courseId: Id, owner: string, error: string): Promise<void> => {
      await serially(async () => await gradeSyncs.updateOne({ ...ofCourse(courseId), lineItemOwner: owner }, { $set: { lineItemOwner: null, lineItemClaimUntil: null, lineItemError: error } }))
    },

    /** Notes that scores of the course may have changed; answers whether it was already waiting for a recompute. */
    markDirty: async (courseId: Id): Promise<{ wasDirty: boolean }> => {
      await ensure(courseId)
      const before = await serially(async () => await gradeSyncs.findOneAndUpdate(ofCourse(courseId), { $set: { dirty: true }, $inc: { dirtySeq: 1 } }).lean())
      return { wasDirty: before?.dirty === true }
    },

    /** The recompute lease: one recompute per course at a time, so an older computation never lands after a newer one. */
    claimRecompute: async (courseId: Id, owner: string, leaseMs: number, now = new Date()): Promise<{ dirtySeq: number } | null> => {
      await ensure(courseId)
      const claimed = await serially(async () => await gradeSyncs.findOneAndUpdate(
        { ...ofCourse(courseId), ...expired('recomputeUntil', now) },
        { $set: { recomputeOwner: owner, recomputeUntil: new Date(now.getTime() + leaseMs) } },
        { new: true }
      ).lean())
      return claimed?.recomputeOwner === owner ? { dirtySeq: claimed.dirtySeq } : null
    },

    seqOf: async (courseId: Id): Promise<number> => (await gradeSyncs.findOne(ofCourse(courseId), { dirtySeq: 1 }).lean())?.dirtySeq ?? 0,

    /** Clears the flag if no change was noted since `seq` was read; false means: compute again. */
    markClean: async (courseId: Id, owner: string, seq: number): Promise<boolean> =>
      (await serially(async () => await gradeSyncs.updateOne({ ...ofCourse(courseId), recomputeOwner: owner, dirtySeq: seq }, {
        $set: { dirty: false, lastRecomputeAt: new Date(), lastRecomputeError: null }
      }))).matchedCount === 1,

    releaseRecompute: async (courseId: Id, owner: string, error?: string): Promise<boolean> => {
      const released = await serially(async () => await gradeSyncs.findOneAndUpdate({ ...ofCourse(courseId), recomputeOwner: owner }, {
        $set: { recomputeOwner: null, recomputeUntil: null, ...(error !== undefined ? { lastRecomputeError: error } : {}) }
      }, { new: true }).lean())
      return released?.dirty === true
    },

    dirtyCourses: async (limit: number, now = new Date()): Promise<Id[]> =>
      toIds((await gradeSyncs.find({ dirty: true, ...expired('recomputeUntil', now) }, { courseId: 1 }).limit(limit).lean()).map((s) => s.courseId))
  } satisfies GradeSyncStore
}

export type GradeSyncRepository = ReturnType<typeof createGradeSyncRepository>
