import type { Types } from 'mongoose'
import type { Id } from '../../domain/ids'
import type { CourseRole } from '../../domain/launch/roles'
import type { Tenant } from '../../domain/roster/ports'
import type { ProfileFields, RosterEntry } from '../../domain/roster/roster-entries'
import type { KnownMembership, MembershipStatus, MembershipWrite } from '../../domain/roster/roster-plan'
import type { Models } from '../database'
import { duplicatesRefused } from '../duplicate-key'
import { membershipIdOf, userIdOf } from '../natural-ids'
import { withMemberNames } from '../member-names'
import { readMany } from '../read-many'
import { toId, toObjectId, toObjectIds } from '../ids'
import { batches, WRITE_BATCH } from '../write-batches'

type ObjectId = Types.ObjectId


const PROFILE_KEYS = ['name', 'givenName', 'familyName', 'email'] as const
const profileChanged = (stored: ProfileFields, listed: ProfileFields): boolean =>
  PROFILE_KEYS.some((k) => listed[k] !== undefined && listed[k] !== stored[k])

export interface RosterMember { userId: ObjectId, name: string, email: string, role: CourseRole, status: MembershipStatus, testUser: boolean }

const STATUS_ORDER: Record<MembershipStatus, number> = { active: 0, dropped: 1 }
const ROLE_ORDER: Record<CourseRole, number> = { instructor: 0, mentor: 1, student: 2 }

/**
 * Bulk reads and writes of a course's users and memberships for roster sync (its `RosterRepository` port, ids as
 * strings), and the member list of the Roster page and the activities. Writes address documents by `_id`
 * and skip unchanged ones, so re-syncing a large, stable course writes almost nothing.
 */
export function createRosterRepository ({ users, memberships }: Pick<Models, 'users' | 'memberships'>) {
  const findUsers = async (tenant: Tenant, subs: string[]) =>
    await readMany<ProfileFields & { _id: ObjectId, sub: string }>(users, { ...tenant }, 'sub', subs, { sub: 1, name: 1, givenName: 1, familyName: 1, email: 1 })

  type ById = Array<{ updateOne: { filter: { _id: ObjectId }, update: { $set: Record<string, unknown> } } }>
  const updateById = async (write: (ops: ById) => Promise<unknown>, updates: Array<{ _id: ObjectId, set: Record<string, unknown> }>) => {
    for (const batch of batches(updates, WRITE_BATCH)) await write(batch.map(({ _id, set }) => ({ updateOne: { filter: { _id }, update: { $set: set } } })))
  }

  /**
   * Inserts in batches and answers the documents refused as duplicates: a concurrent launch created the same
   * document first.
   */
  const insert = async <T>(write: (docs: T[]) => Promise<unknown>, docs: T[]): Promise<T[]> => {
    const refused: T[] = []
    for (const batch of batches(docs, WRITE_BATCH)) {
      try {
        await write(batch)
      } catch (err) {
        const duplicates = duplicatesRefused(err)
        if (duplicates === null) throw err
        for (const index of duplicates) if (batch[index] !== undefined) refused.push(batch[index])
      }
    }
    return refused
  }
  const unordered = { ordered: false } as const

  return {
    knownMemberships: async (courseId: Id): Promise<Array<KnownMembership<Id>>> =>
      (await memberships.find({ courseId: toObjectId(courseId) }, { userId: 1, role: 1, lisRoles: 1, status: 1, lastLaunchAt: 1, name: 1, email: 1 }).lean())
        .map((m) => ({ userId: toId(m.userId), role: m.role, lisRoles: m.lisRoles, status: m.status, lastLaunchAt: m.lastLaunchAt, name: m.name ?? undefined, email: m.email ?? undefined })),

    /** Creates the listed people Mentorlink does not know, refreshes changed profiles, and answers user ids by `sub`. */
    upsertUsers: async (tenant: Tenant, entries: readonly RosterEntry[]): Promise<Map<string, Id>> => {
      const stored = new Map((await findUsers(tenant, entries.map((e) => e.sub))).map((u) => [u.sub, u]))
      const fresh = entries.filter((e) => !stored.has(e.sub)).map((e) => ({ _id: userIdOf(tenant, e.sub), ...tenant, sub: e.sub, ...e.profile }))
      const refused = new Set((await insert(async (docs) => await users.insertMany(docs, unordered), fresh)).map((u) => u.sub))
      for (const u of fresh) if (!refused.has(u.sub)) stored.set(u.sub, u)
      await updateById(async (ops) => await users.bulkWrite(ops, unordered), entries.flatMap((e) => {
        const user = stored.get(e.sub)
        return user && profileChanged(user, e.profile) ? [{ _id: user._id, set: { ...e.profile } }] : []
      }))
      // Only the people a concurrent launch created first are read back.
      if (refused.size > 0) for (const u of await findUsers(tenant, [...refused])) stored.set(u.sub, u)
      return new Map([...stored].map(([sub, u]) => [sub, toId(u._id)]))
    },

    writeMemberships: async (id: Id, writes: ReadonlyArray<MembershipWrite<Id>>): Promise<void> => {
      const courseId = toObjectId(id)
      // New ones are inserted unread; one a concurrent launch created first is refused, and that launch's is newer.
      await insert(async (docs) => await memberships.insertMany(docs, unordered),
        writes.filter((w) => w.isNew).map(({ isNew: _new, profile, ...w }) => ({ _id: membershipIdOf(courseId, w.userId), courseId, ...w, ...profile, userId: toObjectId(w.userId) })))
      const changed = writes.filter((w) => !w.isNew)
      const existing = await readMany<{ _id: ObjectId, userId: ObjectId }>(memberships, { courseId }, 'userId', toObjectIds(changed.map((w) => w.userId)), { userId: 1 })
      const idOf = new Map(existing.map((m) => [toId(m.userId), m._id]))
      await updateById(async (ops) => await memberships.bulkWrite(ops, unordered), changed.flatMap(({ userId, isNew: _new, profile, ...set }) => {
        const _id = idOf.get(userId)
        return _id ? [{ _id, set: { ...set, ...profile } }] : []
      }))
    },

    /** Drops the given active members, except any who launched since `unlessLaunchedSince`. */
    dropMissing: async (courseId: Id, userIds: Id[], unlessLaunchedSince: Date): Promise<void> => {
      for (const batch of batches(userIds, WRITE_BATCH)) {
        await memberships.updateMany(
          { courseId: toObjectId(courseId), userId: { $in: toObjectIds(batch) }, status: 'active', $or: [{ lastLaunchAt: null }, { lastLaunchAt: { $lt: unlessLaunchedSince } }] },
          { $set: { status: 'dropped' } }
        )
      }
    },

    droppedAmong: async (courseId: Id, userIds: Id[]): Promise<Id[]> =>
      (await readMany<{ userId: ObjectId }>(memberships, { courseId: toObjectId(courseId), status: 'dropped' }, 'userId', toObjectIds(userIds), { userId: 1 })).map((m) => toId(m.userId)),

    /** Everyone Mentorlink knows in the course: active before dropped, then by role and name. */
    /** The user ids of the course's active members in one role, without their names. */
    activeUserIds: async (courseId: ObjectId, role: CourseRole): Promise<ObjectId[]> =>
      (await memberships.find({ courseId, role, status: 'active' }, { userId: 1 }).lean()).map((m) => m.userId),
    /** One member of a course with their name, whatever their status; null when they never were one. */
    findMember: async (courseId: ObjectId, userId: ObjectId): Promise<RosterMember | null> => {
      const found = await memberships.findOne({ courseId, userId }, { userId: 1, role: 1, status: 1, testUser: 1, name: 1, email: 1 }).lean()
      if (!found) return null
      const [membership] = await withMemberNames({ users }, [found])
      return membership ? { userId, role: membership.role, status: membership.status, testUser: membership.testUser === true, name: membership.name, email: membership.email } : null
    },
    listMembers: async (courseId: ObjectId): Promise<RosterMember[]> => {
      const rows = await memberships.find({ courseId }, { userId: 1, role: 1, status: 1, testUser: 1, name: 1, email: 1 }).lean()
      return (await withMemberNames({ users }, rows))
        .map((r) => ({ userId: r.userId, role: r.role, status: r.status, testUser: r.testUser === true, name: r.name, email: r.email }))
        .sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.name.localeCompare(b.name))
    }
  }
}

export type RosterRepository = ReturnType<typeof createRosterRepository>
