import type { Types } from 'mongoose'
import type { Id } from '../../domain/ids'
import type { Pool, PoolCourse, PoolRepository, Tenant } from '../../domain/pools/ports'
import type { Models } from '../database'
import { isDuplicateKey } from '../duplicate-key'
import { toId, toIds, toObjectId } from '../ids'
import type { PoolDoc } from '../models/pool.model'

type StoredPool = PoolDoc & { _id: Types.ObjectId }
type StoredCourse = Tenant & { _id: Types.ObjectId, title: string, poolId?: Types.ObjectId | null }

const toPool = (p: StoredPool): Pool => ({ id: toId(p._id), name: p.name, ownerCourseId: toId(p.ownerCourseId), dismissedUserIds: toIds(p.dismissedUserIds) })

/** A stored course as the pool code sees it. */
export const toPoolCourse = ({ _id, issuer, clientId, deploymentId, title, poolId }: StoredCourse): PoolCourse =>
  ({ id: toId(_id), issuer, clientId, deploymentId, title, poolId: poolId ? toId(poolId) : null })

/** Pools, which course uses which, and the course data the pool pages need (teaching courses, LMS mentors). */
/** Everything but `lmsMentorsOf`, which the progress read model's course table answers (services.ts). */
export function createPoolRepository ({ pools, courses, memberships }: Pick<Models, 'pools' | 'courses' | 'memberships'>): Omit<PoolRepository, 'lmsMentorsOf'> {
  const find = async (id: Types.ObjectId): Promise<StoredPool | null> => await pools.findById(id).lean()
  const ownPoolOf = async (course: PoolCourse): Promise<StoredPool> => {
    const owned = async () => await pools.findOne({ ownerCourseId: toObjectId(course.id) }).lean()
    const found = await owned()
    if (found) return found
    const { issuer, clientId, deploymentId } = course
    try {
      return (await pools.create({ issuer, clientId, deploymentId, name: course.title, ownerCourseId: toObjectId(course.id) })).toObject() as StoredPool
    } catch (err) {
      const winner = isDuplicateKey(err) ? await owned() : null
      if (!winner) throw err
      return winner
    }
  }
  return {
    /**
     * The course's pool, created on first use. Concurrent first requests agree on the one pool the course owns
     * (unique per owner), and whichever pool the course points at after the conditional write is the answer.
     */
    ensureForCourse: async (course: PoolCourse): Promise<Pool> => {
      const existing = course.poolId ? await find(toObjectId(course.poolId)) : null
      if (existing) return toPool(existing)
      const own = await ownPoolOf(course)
      const courseId = toObjectId(course.id)
      // FerretDB can lose this field to a concurrent write of another field of the course (a roster sync's): written
      // again while it reads back empty. A loss after that is mended by the next request, which comes here again.
      let current: Types.ObjectId | null | undefined
      for (let attempt = 0; attempt < 3 && !current; attempt++) {
        await courses.updateOne({ _id: courseId, poolId: null }, { $set: { poolId: own._id } })
        current = (await courses.findById(courseId, { poolId: 1 }).lean())?.poolId
      }
      return toPool(current && !current.equals(own._id) ? await find(current) ?? own : own)
    },
    attach: async (courseId: Id, fromPoolId: Id, toPoolId: Id): Promise<boolean> =>
      (await courses.updateOne({ _id: toObjectId(courseId), poolId: toObjectId(fromPoolId) }, { $set: { poolId: toObjectId(toPoolId) } })).modifiedCount === 1,
    dismissUser: async (poolId: Id, userId: Id): Promise<void> => {
      await pools.updateOne({ _id: toObjectId(poolId) }, { $addToSet: { dismissedUserIds: toObjectId(userId) } })
    },
    poolCoursesTaughtBy: async (userId: Id, tenant: Tenant, except: Id): Promise<Array<PoolCourse & { poolId: Id }>> => {
      const taught = await memberships.find({ userId: toObjectId(userId), role: 'instructor', status: 'active', courseId: { $ne: toObjectId(except) } }, { courseId: 1 }).lean()
      const found = await courses.find({ _id: { $in: taught.map((m) => m.courseId) }, ...tenant, poolId: { $ne: null } }).sort({ title: 1 }).lean()
      return found.flatMap((c) => c.poolId ? [{ ...toPoolCourse(c), poolId: toId(c.poolId) }] : [])
    }
  }
}
