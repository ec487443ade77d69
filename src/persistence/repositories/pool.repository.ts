import type { Types } from 'mongoose'
import type { Models } from '../database'
import { isDuplicateKey } from '../duplicate-key'
import type { PoolDoc } from '../models/pool.model'
import type { Tenant } from './tenancy.repository'

export type Pool = PoolDoc & { _id: Types.ObjectId }
export interface PoolCourse extends Tenant { _id: Types.ObjectId, title: string, poolId?: Types.ObjectId | null }

/** Pools, which course uses which, and the course data the pool pages need (teaching courses, LMS mentors). */
export function createPoolRepository ({ pools, courses, memberships, users }: Pick<Models, 'pools' | 'courses' | 'memberships' | 'users'>) {
  const find = async (id: Types.ObjectId): Promise<Pool | null> => await pools.findById(id).lean()
  const ownPoolOf = async (course: PoolCourse): Promise<Pool> => {
    const owned = async () => await pools.findOne({ ownerCourseId: course._id }).lean()
    const found = await owned()
    if (found) return found
    const { issuer, clientId, deploymentId } = course
    try {
      return (await pools.create({ issuer, clientId, deploymentId, name: course.title, ownerCourseId: course._id })).toObject() as Pool
    } catch (err) {
      const winner = isDuplicateKey(err) ? await owned() : null
      if (!winner) throw err
      return winner
    }
  }
  return {
    find,
    /**
     * The course's pool, created on first use. Concurrent first requests agree on the one pool the course owns
     * (unique per owner), and whichever pool the course points at after the conditional write is the answer.
     */
    ensureForCourse: async (course: PoolCourse): Promise<Pool> => {
      const existing = course.poolId ? await find(course.poolId) : null
      if (existing) return existing
      const own = await ownPoolOf(course)
      await courses.updateOne({ _id: course._id, poolId: null }, { $set: { poolId: own._id } })
      const current = (await courses.findById(course._id, { poolId: 1 }).lean())?.poolId
      return current && !current.equals(own._id) ? await find(current) ?? own : own
    },
    /** Points the course at another pool, if it still uses the one the caller saw. */
    attach: async (courseId: Types.ObjectId, fromPoolId: Types.ObjectId, toPoolId: Types.ObjectId): Promise<boolean> =>
      (await courses.updateOne({ _id: courseId, poolId: fromPoolId }, { $set: { poolId: toPoolId } })).modifiedCount === 1,
    dismissUser: async (poolId: Types.ObjectId, userId: Types.ObjectId): Promise<void> => {
      await pools.updateOne({ _id: poolId }, { $addToSet: { dismissedUserIds: userId } })
    },
    /** Other courses of the tenant the user actively teaches that have a pool. */
    poolCoursesTaughtBy: async (userId: Types.ObjectId, tenant: Tenant, except: Types.ObjectId): Promise<Array<PoolCourse & { poolId: Types.ObjectId }>> => {
      const taught = await memberships.find({ userId, role: 'instructor', status: 'active', courseId: { $ne: except } }, { courseId: 1 }).lean()
      const found = await courses.find({ _id: { $in: taught.map((m) => m.courseId) }, ...tenant, poolId: { $ne: null } }).sort({ title: 1 }).lean()
      return found.flatMap((c) => c.poolId ? [{ ...c, poolId: c.poolId }] : [])
    },
    /** Active course members the LMS gave the Mentor role, with their names and emails. */
    lmsMentorsOf: async (courseId: Types.ObjectId) => {
      const members = await memberships.find({ courseId, role: 'mentor', status: 'active' }, { userId: 1 }).lean()
      return await users.find({ _id: { $in: members.map((m) => m.userId) } }, { name: 1, email: 1 }).sort({ name: 1 }).lean()
    }
  }
}

export type PoolRepository = ReturnType<typeof createPoolRepository>
