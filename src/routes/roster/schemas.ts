import { z } from 'zod'
import { SYNC_STATUSES, SYNC_TRIGGERS } from '../../domain/roster/ports'
import type { RosterSync } from '../../domain/roster/roster-sync'

const count = z.number().int().min(0)
export const SyncCounts = z.object({ pages: count, listed: count, added: count, reactivated: count, dropped: count, skipped: count })

export const SyncState = z.object({
  /** False when the LMS has not offered Names and Roles for the course. */
  available: z.boolean(),
  running: z.boolean(),
  progress: z.object({
    phase: z.enum(['fetching', 'applying']),
    startedAt: z.string().nullable(),
    pages: count,
    pagesTotal: count.nullable(),
    members: count
  }).nullable(),
  last: z.object({
    at: z.string(),
    status: z.enum(SYNC_STATUSES),
    trigger: z.enum(SYNC_TRIGGERS).nullable(),
    error: z.string().nullable(),
    counts: SyncCounts.nullable()
  }).nullable()
})
export type SyncState = z.infer<typeof SyncState>

type Status = Awaited<ReturnType<RosterSync['status']>>

/** The sync state as the JSON API and the Roster page show it. */
export function syncStateOf ({ running, record }: Status, available: boolean): SyncState {
  const progress = record?.progress
  const { pages = 0, listed = 0, added = 0, reactivated = 0, dropped = 0, skipped = 0 } = record?.counts ?? {}
  return {
    available,
    running,
    progress: running && progress?.phase != null
      ? { phase: progress.phase, startedAt: progress.startedAt?.toISOString() ?? null, pages: progress.pages, pagesTotal: progress.pagesTotal ?? null, members: progress.members }
      : null,
    last: record?.lastSyncAt != null && record.lastSyncStatus != null
      ? {
          at: record.lastSyncAt.toISOString(),
          status: record.lastSyncStatus,
          trigger: record.lastTrigger ?? null,
          error: record.lastSyncError || null,
          counts: record.lastSyncStatus === 'succeeded' && record.counts != null ? { pages, listed, added, reactivated, dropped, skipped } : null
        }
      : null
  }
}
