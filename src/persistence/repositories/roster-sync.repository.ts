import type { Types } from 'mongoose'
import type { Models } from '../database'
import type { SYNC_STATUSES, SYNC_TRIGGERS } from '../models/roster-sync.model'
import { isDuplicateKey } from '../duplicate-key'

export type SyncTrigger = typeof SYNC_TRIGGERS[number]
export type SyncStatus = typeof SYNC_STATUSES[number]
export interface SyncCounts { pages: number, listed: number, added: number, reactivated: number, dropped: number, skipped: number }
export interface SyncProgress { phase: 'fetching' | 'applying', pages: number, pagesTotal?: number, members: number }
export interface SyncOutcome { status: SyncStatus, at: Date, error?: string, counts?: SyncCounts }

/** Answers whether a write failed only because the unique course key already exists. */

/** The per-course sync lease, progress and last outcome. Every write after the claim checks the lease is still ours. */
export function createRosterSyncRepository ({ rosterSyncs }: Pick<Models, 'rosterSyncs'>) {
  return {
    /**
     * Takes the course's lease when nobody holds it or it has expired. Atomic: the filter and the write are one
     * findOneAndUpdate, and the unique course index turns a racing first-ever claim into a duplicate key error.
     */
    claim: async (courseId: Types.ObjectId, owner: string, trigger: SyncTrigger, leaseMs: number, now = new Date()): Promise<boolean> => {
      try {
        const claimed = await rosterSyncs.findOneAndUpdate(
          { courseId, $or: [{ leaseUntil: null }, { leaseUntil: { $lte: now } }] },
          { $set: { leaseOwner: owner, leaseUntil: new Date(now.getTime() + leaseMs), progress: { trigger, startedAt: now, phase: 'fetching', pages: 0, members: 0 } } },
          { upsert: true, new: true, setDefaultsOnInsert: true }
        ).lean()
        return claimed?.leaseOwner === owner
      } catch (err) {
        if (isDuplicateKey(err)) return false
        throw err
      }
    },

    /** Records progress and extends the lease; false when the lease was lost (expired and taken by another). */
    heartbeat: async (courseId: Types.ObjectId, owner: string, progress: SyncProgress, leaseMs: number): Promise<boolean> => {
      const set: Record<string, unknown> = { leaseUntil: new Date(Date.now() + leaseMs) }
      for (const [key, value] of Object.entries(progress)) if (value !== undefined) set[`progress.${key}`] = value
      const res = await rosterSyncs.updateOne({ courseId, leaseOwner: owner }, { $set: set })
      return res.matchedCount === 1
    },

    /** Records the outcome and frees the lease, unless the lease already went to another sync. */
    finish: async (courseId: Types.ObjectId, owner: string, outcome: SyncOutcome, trigger: SyncTrigger): Promise<boolean> => {
      const res = await rosterSyncs.updateOne({ courseId, leaseOwner: owner }, {
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
      return res.matchedCount === 1
    },

    find: async (courseId: Types.ObjectId) => await rosterSyncs.findOne({ courseId }).lean()
  }
}

export type RosterSyncRepository = ReturnType<typeof createRosterSyncRepository>
