import type { Id } from '../../domain/ids'
import type { RosterSyncRepository, SyncOutcome, SyncProgress, SyncRecord, SyncTrigger } from '../../domain/roster/ports'
import type { Models } from '../database'
import { createLeases } from '../leases'
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

/**
 * The per-course sync lease, progress and last outcome. The lease is a `leases` term (`roster-sync:<courseId>`), which
 * only one process can take on every server; the sync record repeats its holder and expiry for the Roster page, and
 * every write after the claim checks the lease is still ours.
 */
export function createRosterSyncRepository ({ rosterSyncs, courses, leases: leaseModel }: Pick<Models, 'rosterSyncs' | 'courses' | 'leases'>): RosterSyncRepository {
  const leases = createLeases({ leases: leaseModel })
  const leaseName = (courseId: Id): string => `roster-sync:${courseId}`
  return {
    claim: async (courseId: Id, owner: string, trigger: SyncTrigger, leaseMs: number): Promise<boolean> => {
      if (!await leases.acquire(leaseName(courseId), owner, leaseMs)) return false
      const now = new Date()
      try {
        await rosterSyncs.updateOne({ courseId: toObjectId(courseId) }, {
          $set: { leaseOwner: owner, leaseUntil: new Date(now.getTime() + leaseMs), progress: { trigger, startedAt: now, phase: 'fetching', pages: 0, members: 0 } }
        }, { upsert: true })
      } catch (err) {
        await leases.release(owner)
        throw err
      }
      return true
    },

    heartbeat: async (courseId: Id, owner: string, progress: SyncProgress, leaseMs: number): Promise<boolean> => {
      if (!await leases.renew(owner, leaseMs)) return false
      const set: Record<string, unknown> = { leaseUntil: new Date(Date.now() + leaseMs) }
      for (const [key, value] of Object.entries(progress)) if (value !== undefined) set[`progress.${key}`] = value
      await rosterSyncs.updateOne({ courseId: toObjectId(courseId) }, { $set: set })
      return true
    },

    finish: async (courseId: Id, owner: string, outcome: SyncOutcome, trigger: SyncTrigger): Promise<boolean> => {
      if (!await leases.holds(owner)) return false
      await rosterSyncs.updateOne({ courseId: toObjectId(courseId) }, {
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
      await courses.updateOne({ _id: toObjectId(courseId) }, { $set: { rosterSyncedAt: outcome.at } })
      await leases.release(owner)
      return true
    },

    find: async (courseId: Id): Promise<SyncRecord | null> => {
      const doc = await rosterSyncs.findOne({ courseId: toObjectId(courseId) }).lean()
      return doc ? toRecord(doc) : null
    }
  }
}
