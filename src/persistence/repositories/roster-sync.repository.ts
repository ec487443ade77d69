import type { Id } from '../../domain/ids'
import type { RosterSyncRepository, SyncOutcome, SyncProgress, SyncRecord, SyncTrigger } from '../../domain/roster/ports'
import type { Models } from '../database'
import { isDuplicateKey } from '../duplicate-key'
import { toObjectId } from '../ids'
import type { RosterSyncDoc } from '../models/roster-sync.model'

const toRecord = (doc: RosterSyncDoc): SyncRecord => ({
  leaseUntil: doc.leaseUntil ?? null,
  progress: doc.progress ?? null,
  lastSyncAt: doc.lastSyncAt ?? null,
  lastSyncStatus: doc.lastSyncStatus ?? null,
  lastSyncError: doc.lastSyncError ?? null,
  lastTrigger: doc.lastTrigger ?? null,
  counts: doc.counts ?? null
})

/** The per-course sync lease, progress and last outcome. Every write after the claim checks the lease is still ours. */
export function createRosterSyncRepository ({ rosterSyncs, courses }: Pick<Models, 'rosterSyncs' | 'courses'>): RosterSyncRepository {
  return {
    /**
     * Takes the course's lease when nobody holds it or it has expired. Atomic: the filter and the write are one
     * findOneAndUpdate, and the unique course index turns a racing first-ever claim into a duplicate key error.
     */
    claim: async (courseId: Id, owner: string, trigger: SyncTrigger, leaseMs: number): Promise<boolean> => {
      const now = new Date()
      try {
        const claimed = await rosterSyncs.findOneAndUpdate(
          { courseId: toObjectId(courseId), $or: [{ leaseUntil: null }, { leaseUntil: { $lte: now } }] },
          { $set: { leaseOwner: owner, leaseUntil: new Date(now.getTime() + leaseMs), progress: { trigger, startedAt: now, phase: 'fetching', pages: 0, members: 0 } } },
          { upsert: true, new: true, setDefaultsOnInsert: true }
        ).lean()
        return claimed?.leaseOwner === owner
      } catch (err) {
        if (isDuplicateKey(err)) return false
        throw err
      }
    },

    heartbeat: async (courseId: Id, owner: string, progress: SyncProgress, leaseMs: number): Promise<boolean> => {
      const set: Record<string, unknown> = { leaseUntil: new Date(Date.now() + leaseMs) }
      for (const [key, value] of Object.entries(progress)) if (value !== undefined) set[`progress.${key}`] = value
      const res = await rosterSyncs.updateOne({ courseId: toObjectId(courseId), leaseOwner: owner }, { $set: set })
      return res.matchedCount === 1
    },

    finish: async (courseId: Id, owner: string, outcome: SyncOutcome, trigger: SyncTrigger): Promise<boolean> => {
      const res = await rosterSyncs.updateOne({ courseId: toObjectId(courseId), leaseOwner: owner }, {
        $set: {
          leaseOwner: null,
          leaseUntil: null,
          lastSyncAt: outcome.at,
          lastSyncStatus: outcome.status,
          lastSyncError: outcome.error ?? '',
          lastTrigger: trigger,
          ...(outcome.counts !== undefined ? { counts: outcome.counts } : {})
        }
      })
      if (res.matchedCount === 1) await courses.updateOne({ _id: toObjectId(courseId) }, { $set: { rosterSyncedAt: outcome.at } })
      return res.matchedCount === 1
    },

    find: async (courseId: Id): Promise<SyncRecord | null> => {
      const doc = await rosterSyncs.findOne({ courseId: toObjectId(courseId) }).lean()
      return doc ? toRecord(doc) : null
    }
  }
}
