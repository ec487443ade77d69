import type { Types } from 'mongoose'
import type { Id } from '../../domain/ids'
import type { CourseRole } from '../../domain/launch/roles'
import type { PoolCourse } from '../../domain/pools/ports'
import type { RosterCourse } from '../../domain/roster/ports'
import type { Models } from '../database'
import { retryOnDuplicateKey } from '../duplicate-key'
import { toId, toObjectId } from '../ids'
import { toPoolCourse } from './pool.repository'

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

export interface UserInput { sub: string, name: string, givenName: string, familyName: string, email: string }

/** Courses, users and memberships, each upserted in one atomic write so a repeated launch never duplicates them. */
export function createTenancyRepository ({ courses, users, memberships }: Pick<Models, 'courses' | 'users' | 'memberships'>) {
  const upsert = { upsert: true, new: true, setDefaultsOnInsert: true } as const
  return {
    upsertCourse: async (tenant: Tenant, course: CourseInput, at: Date) => {
      const { contextId, ...fields } = course
      const set = Object.fromEntries(Object.entries({ ...fields, lastLaunchAt: at }).filter(([, v]) => v !== undefined))
      return await retryOnDuplicateKey(async () => await courses.findOneAndUpdate({ ...tenant, contextId }, { $set: set }, upsert).lean())
    },
    upsertUser: async (tenant: Tenant, user: UserInput) => {
      const { sub, ...fields } = user
      return await retryOnDuplicateKey(async () => await users.findOneAndUpdate({ ...tenant, sub }, { $set: fields }, upsert).lean())
    },
    /**
     * Records a launch's membership; `joined` when it is new, was inactive, or had another role before. Not a claim:
     * two first launches at once may both report `joined` on FerretDB, and what listens for it is idempotent.
     */
    upsertMembership: async (courseId: Types.ObjectId, userId: Types.ObjectId, launched: { role: CourseRole, lisRoles: string[], testUser: boolean }, at: Date): Promise<{ joined: boolean }> => {
      const before = await retryOnDuplicateKey(async () => await memberships.findOneAndUpdate(
        { courseId, userId },
        { $set: { ...launched, status: 'active', lastLaunchAt: at } },
        { ...upsert, new: false }
      ).lean())
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
      const course = await courses.findById(toObjectId(id), { issuer: 1, clientId: 1, deploymentId: 1, membershipsUrl: 1 }).lean()
      return course ? { id: toId(course._id), issuer: course.issuer, clientId: course.clientId, deploymentId: course.deploymentId, membershipsUrl: course.membershipsUrl ?? null } : null
    },
    findUser: async (id: Types.ObjectId | string) => await users.findById(id).lean()
  }
}

export type TenancyRepository = ReturnType<typeof createTenancyRepository>
