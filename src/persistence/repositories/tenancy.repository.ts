import { LRUCache } from 'lru-cache'
import type { Types } from 'mongoose'
import type { Id } from '../../domain/ids'
import type { CourseRole } from '../../domain/launch/roles'
import type { PoolCourse } from '../../domain/pools/ports'
import type { RosterCourse } from '../../domain/roster/ports'
import type { Models } from '../database'
import { retryOnDuplicateKey } from '../duplicate-key'
import { retryWhenBusy } from '../busy'
import { membershipIdOf, upsertByDerivedId, userIdOf } from '../natural-ids'
import { toId, toObjectId } from '../ids'
import { toPoolCourse } from './pool.repository'
import type { CourseDoc } from '../models/course.model'
import type { UserDoc } from '../models/user.model'

type UserLean = UserDoc & { _id: Types.ObjectId }

export interface Tenant { issuer: string, clientId: string, deploymentId: string }

export interface CourseInput {
  contextId: string
  title: string
  label: string
  membershipsUrl?: string
  lineItemsUrl?: string
  lineItemUrl?: string
  agsScopes: string[]
  custom: Record<string, unknown>
}

/** A course document as roster sync sees it. */
export const toRosterCourse = (course: Pick<CourseDoc, 'issuer' | 'clientId' | 'deploymentId' | 'membershipsUrl' | 'rosterSyncedAt'> & { _id: Types.ObjectId }): RosterCourse => ({
  id: toId(course._id),
  issuer: course.issuer,
  clientId: course.clientId,
  deploymentId: course.deploymentId,
  membershipsUrl: course.membershipsUrl ?? null,
  lastSyncAt: course.rosterSyncedAt ?? null
})

export interface UserInput { sub: string, name: string, givenName: string, familyName: string, email: string, timeZone?: string }

/**
 * How long a process trusts its own last write of a user. Only launches and roster syncs write users, with the same
 * fields from the same platform, so a launch that describes the user as this process last wrote them has nothing to
 * write: it saves one write per returning user's launch, at the price that a roster sync's different spelling of a
 * name stays until this lapses or the launch describes the user differently.
 */
const USER_WRITE_KEPT_MS = 10 * 60_000
const RECENT_USERS_MAX = 50_000

/** Courses, users and memberships, each upserted in one atomic write so a repeated launch never duplicates them. */
export function createTenancyRepository ({ courses, users, memberships }: Pick<Models, 'courses' | 'users' | 'memberships'>) {
  const upsert = { upsert: true, new: true, setDefaultsOnInsert: true } as const
  const recentUsers = new LRUCache<string, { described: string, doc: UserLean }>({ max: RECENT_USERS_MAX, ttl: USER_WRITE_KEPT_MS })
  return {
    upsertCourse: async (tenant: Tenant, course: CourseInput, at: Date) => {
      const { contextId, ...fields } = course
      const set = Object.fromEntries(Object.entries({ ...fields, lastLaunchAt: at }).filter(([, v]) => v !== undefined))
      return await retryOnDuplicateKey(async () => await retryWhenBusy(async () => await courses.findOneAndUpdate({ ...tenant, contextId }, { $set: set }, upsert).lean()))
    },
    /** Written again only when the launch describes the user differently from the last write this process made. */
    upsertUser: async (tenant: Tenant, user: UserInput) => {
      const { sub, ...fields } = user
      const key = JSON.stringify([tenant.issuer, tenant.clientId, tenant.deploymentId, sub])
      const described = JSON.stringify(fields)
      const recent = recentUsers.get(key)
      if (recent !== undefined && recent.described === described) return recent.doc
      const doc = await upsertByDerivedId<UserLean>(users, userIdOf(tenant, sub), { ...tenant, sub }, fields, true)
      if (doc === null) throw new Error('the user upsert answered no document')
      recentUsers.set(key, { described, doc })
      return doc
    },
    /**
     * Records a launch's membership; `joined` when it is new, was inactive, or had another role before. Not a claim:
     * two first launches at once may both report `joined` on FerretDB, and what listens for it is idempotent.
     */
    upsertMembership: async (courseId: Types.ObjectId, userId: Types.ObjectId, launched: { role: CourseRole, lisRoles: string[], testUser: boolean, name: string, email: string }, at: Date): Promise<{ joined: boolean }> => {
      const before = await upsertByDerivedId<{ status: string, role: string }>(memberships, membershipIdOf(courseId, userId), { courseId, userId },
        { ...launched, status: 'active', lastLaunchAt: at }, false)
      return { joined: before === null || before.status !== 'active' || before.role !== launched.role }
    },
    findCourse: async (id: Types.ObjectId | string) => await courses.findById(id).lean(),
    /** The course as the pool code sees it. */
    poolCourse: async (id: Id): Promise<PoolCourse | null> => {
      const course = await courses.findById(toObjectId(id)).lean()
      return course ? toPoolCourse(course) : null
    },
    /** The course as roster sync sees it. */
    rosterCourse: async (id: Id): Promise<RosterCourse | null> => {
      const course = await courses.findById(toObjectId(id), { issuer: 1, clientId: 1, deploymentId: 1, membershipsUrl: 1, rosterSyncedAt: 1 }).lean()
      return course ? toRosterCourse(course) : null
    },
    findUser: async (id: Types.ObjectId | string) => await users.findById(id).lean()
  }
}

export type TenancyRepository = ReturnType<typeof createTenancyRepository>
