import type { CourseRole } from '../launch/roles'
import type { ProfileFields, RosterEntry } from './roster-entries'

export type MembershipStatus = 'active' | 'dropped'

export interface KnownMembership<Id> {
  userId: Id
  role: CourseRole
  lisRoles: string[]
  status: MembershipStatus
  lastLaunchAt?: Date | null
  /** As the membership keeps them; undefined on memberships written before it kept them. */
  name?: string
  email?: string
}

export interface MembershipWrite<Id> {
  userId: Id
  role: CourseRole
  lisRoles: string[]
  status: MembershipStatus
  /** No membership was known for this user when the sync read them. */
  isNew: boolean
  /** The name and email the roster lists; absent ones (privacy settings) are left as they are. */
  profile: Pick<ProfileFields, 'name' | 'email'>
}

export interface RosterPlan<Id> {
  /** Memberships to create or change; unchanged ones are left out. */
  writes: Array<MembershipWrite<Id>>
  /** Active members the snapshot no longer lists. */
  missing: Id[]
  /** Everyone going from active to dropped: missing ones and those listed as inactive. */
  dropped: Id[]
  counts: { added: number, reactivated: number, dropped: number }
}

/** A field the roster does not list (privacy settings) is no change. */
const sameListed = (kept: string | undefined, listed: string | undefined): boolean => listed === undefined || listed === kept
const sameRoles = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((r, i) => r === b[i])

/**
 * Compares a complete roster snapshot with the memberships Mentorlink knows. Nobody is ever removed: people the
 * snapshot lists as inactive or leaves out become `dropped`, and come back as `active` when listed again. A member
 * who launched after the snapshot was started is kept, since the launch is newer evidence than the snapshot.
 */
export function planRoster<Id> (
  listed: ReadonlyArray<{ userId: Id, entry: RosterEntry }>,
  known: ReadonlyArray<KnownMembership<Id>>,
  snapshotStartedAt: Date
): RosterPlan<Id> {
  const knownById = new Map(known.map((m) => [String(m.userId), m]))
  const plan: RosterPlan<Id> = { writes: [], missing: [], dropped: [], counts: { added: 0, reactivated: 0, dropped: 0 } }
  for (const { userId, entry } of listed) {
    const before = knownById.get(String(userId))
    const status: MembershipStatus = entry.active ? 'active' : 'dropped'
    if (before === undefined) plan.counts.added++
    else if (before.status === 'dropped' && status === 'active') plan.counts.reactivated++
    else if (before.status === 'active' && status === 'dropped') plan.dropped.push(userId)
    const unchanged = before !== undefined && before.status === status && before.role === entry.role && sameRoles(before.lisRoles, entry.lisRoles) &&
      sameListed(before.name, entry.profile.name) && sameListed(before.email, entry.profile.email)
    if (!unchanged) {
      const profile = Object.fromEntries(Object.entries({ name: entry.profile.name, email: entry.profile.email }).filter(([, v]) => v !== undefined))
      plan.writes.push({ userId, role: entry.role, lisRoles: entry.lisRoles, status, isNew: before === undefined, profile })
    }
  }
  const listedIds = new Set(listed.map((l) => String(l.userId)))
  for (const m of known) {
    if (m.status !== 'active' || listedIds.has(String(m.userId))) continue
    if (m.lastLaunchAt != null && m.lastLaunchAt >= snapshotStartedAt) continue
    plan.missing.push(m.userId)
    plan.dropped.push(m.userId)
  }
  plan.counts.dropped = plan.dropped.length
  return plan
}
