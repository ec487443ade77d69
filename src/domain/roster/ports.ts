import type { Id } from '../ids'
import type { Tenant } from '../pools/ports'
import type { ListedMember, RosterEntry } from './roster-entries'
import type { KnownMembership, MembershipWrite } from './roster-plan'

export type { Tenant }

/** A course as roster sync needs it; `membershipsUrl` is null when the LMS offers no Names and Roles service. */
export interface RosterCourse extends Tenant {
  id: Id
  membershipsUrl: string | null
  /** When the last sync ended, successful or not. */
  lastSyncAt: Date | null
}

export interface RosterCourseLookup { rosterCourse: (id: Id) => Promise<RosterCourse | null> }

/** Bulk reads and writes of a course's users and memberships, as roster sync makes them. */
export interface RosterRepository {
  knownMemberships: (courseId: Id) => Promise<Array<KnownMembership<Id>>>
  /** Creates the listed people Mentorlink does not know, refreshes changed profiles, and answers user ids by `sub`. */
  upsertUsers: (tenant: Tenant, entries: readonly RosterEntry[]) => Promise<Map<string, Id>>
  writeMemberships: (courseId: Id, writes: ReadonlyArray<MembershipWrite<Id>>) => Promise<void>
  /** Drops the given active members, except any who launched since `unlessLaunchedSince`. */
  dropMissing: (courseId: Id, userIds: Id[], unlessLaunchedSince: Date) => Promise<void>
  droppedAmong: (courseId: Id, userIds: Id[]) => Promise<Id[]>
}

export const SYNC_TRIGGERS = ['launch', 'manual', 'api'] as const
export const SYNC_STATUSES = ['succeeded', 'failed'] as const
export type SyncTrigger = typeof SYNC_TRIGGERS[number]
export type SyncStatus = typeof SYNC_STATUSES[number]
export interface SyncCounts { pages: number, listed: number, added: number, reactivated: number, dropped: number, skipped: number }
export interface SyncProgress { phase: 'fetching' | 'applying', pages: number, pagesTotal?: number, members: number }
export interface SyncOutcome { status: SyncStatus, at: Date, error?: string, counts?: SyncCounts }

/** A course's sync lease, the running sync's progress and the last outcome, as stored. */
export interface SyncRecord {
  leaseUntil: Date | null
  progress: { phase?: SyncProgress['phase'] | null, pages: number, pagesTotal?: number | null, members: number, trigger?: SyncTrigger | null, startedAt?: Date | null } | null
  lastSyncAt: Date | null
  lastSyncStatus: SyncStatus | null
  lastSyncError: string | null
  lastTrigger: SyncTrigger | null
  counts: SyncCounts | null
}

/** The per-course sync lease, progress and last outcome. Every write after the claim checks the lease is still ours. */
export interface RosterSyncRepository {
  /** Takes the course's lease when nobody holds it or it has expired; atomic. */
  claim: (courseId: Id, owner: string, trigger: SyncTrigger, leaseMs: number) => Promise<boolean>
  /** Records progress and extends the lease; false when the lease was lost. */
  heartbeat: (courseId: Id, owner: string, progress: SyncProgress, leaseMs: number) => Promise<boolean>
  /** Records the outcome and frees the lease, unless the lease already went to another sync. */
  finish: (courseId: Id, owner: string, outcome: SyncOutcome, trigger: SyncTrigger) => Promise<boolean>
  find: (courseId: Id) => Promise<SyncRecord | null>
}

export interface RosterEndpoint { issuer: string, clientId: string, membershipsUrl: string }
export interface RosterWalkProgress { pages: number, members: number, pagesTotal?: number }
export interface RosterSnapshot { members: ListedMember[], pages: number }

/** A failure of the LMS's roster service; its message is shown to the instructor. */
export class RosterSourceError extends Error {
  constructor (message: string, readonly status?: number) {
    super(message)
    this.name = 'RosterSourceError'
  }
}

/**
 * The LMS's Names and Role Provisioning Services: the whole roster, page by page. A failed page fails the walk
 * with a `RosterSourceError`, so callers only ever see complete snapshots.
 */
export interface NamesAndRoles {
  walk: (endpoint: RosterEndpoint, options: { onPage?: (progress: RosterWalkProgress) => Promise<void>, signal?: AbortSignal }) => Promise<RosterSnapshot>
}
