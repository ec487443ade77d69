import { Types } from 'mongoose'
import type { MentorInput } from '../../domain/pools/mentor-fields'
import { isDuplicateKey } from '../duplicate-key'
import type { Models } from '../database'
import type { MentorDoc } from '../models/mentor.model'

export type Mentor = MentorDoc & { _id: Types.ObjectId, createdAt: Date, updatedAt: Date }
export interface MentorOrigin { source: MentorDoc['source'], userId?: Types.ObjectId }
type MentorSet = Partial<MentorInput> & { userId?: Types.ObjectId }

/** Kept here too: other repositories import it from this file. */
export { isDuplicateKey }

/** Mentors, always looked up within one pool so an id from another pool is simply not found. */
export function createMentorRepository ({ mentors }: Pick<Models, 'mentors'>) {
  return {
    list: async (poolId: Types.ObjectId, filter: { active?: boolean } = {}): Promise<Mentor[]> =>
      await mentors.find({ poolId, ...(filter.active === undefined ? {} : { active: filter.active }) }).sort({ name: 1, _id: 1 }).lean(),
    find: async (poolId: Types.ObjectId, id: string | Types.ObjectId): Promise<Mentor | null> =>
      await mentors.findOne({ _id: id, poolId }).lean(),
    findLinkedUsers: async (poolId: Types.ObjectId): Promise<Types.ObjectId[]> =>
      (await mentors.find({ poolId, userId: { $ne: null } }, { userId: 1 }).lean()).flatMap((m) => m.userId ? [m.userId] : []),
    emails: async (poolId: Types.ObjectId): Promise<Set<string>> =>
      new Set((await mentors.find({ poolId }, { email: 1 }).lean()).map((m) => m.email)),
    count: async (poolId: Types.ObjectId): Promise<number> => await mentors.countDocuments({ poolId }),
    countActive: async (poolId: Types.ObjectId): Promise<number> => await mentors.countDocuments({ poolId, active: true }),
    /** Null when the email is already in the pool. */
    create: async (poolId: Types.ObjectId, input: MentorInput, origin: MentorOrigin): Promise<Mentor | null> => {
      try {
        return (await mentors.create({ ...input, ...origin, poolId })).toObject() as Mentor
      } catch (err) {
        if (isDuplicateKey(err)) return null
        throw err
      }
    },
    /** The updated mentor; null when not in the pool; 'duplicate' when the new email is already in the pool. */
    update: async (poolId: Types.ObjectId, id: string | Types.ObjectId, set: MentorSet): Promise<Mentor | null | 'duplicate'> => {
      try {
        return await mentors.findOneAndUpdate({ _id: id, poolId }, { $set: set }, { new: true, runValidators: true }).lean()
      } catch (err) {
        if (isDuplicateKey(err)) return 'duplicate'
        throw err
      }
    },
    /**
     * All rows or none. Without multi-document transactions the insert is ordered, so it stops at the first
     * failure, and whatever it wrote before that is deleted again by the ids chosen here.
     */
    insertAll: async (poolId: Types.ObjectId, inputs: MentorInput[], origin: MentorOrigin): Promise<'ok' | 'duplicate'> => {
      const docs = inputs.map((input) => ({ ...input, ...origin, poolId, _id: new Types.ObjectId() }))
      try {
        await mentors.insertMany(docs, { ordered: true })
        return 'ok'
      } catch (err) {
        await mentors.deleteMany({ _id: { $in: docs.map((d) => d._id) } })
        if (isDuplicateKey(err)) return 'duplicate'
        throw err
      }
    }
  }
}

export type MentorRepository = ReturnType<typeof createMentorRepository>
