import { Types } from 'mongoose'
import type { Id } from '../../domain/ids'
import type { MentorInput } from '../../domain/pools/mentor-fields'
import type { Mentor, MentorOrigin, MentorRepository, MentorSet } from '../../domain/pools/ports'
import { isDuplicateKey } from '../duplicate-key'
import type { Models } from '../database'
import { toId, toObjectId } from '../ids'
import type { MentorDoc } from '../models/mentor.model'

type StoredMentor = MentorDoc & { _id: Types.ObjectId, createdAt: Date, updatedAt: Date }

/** Kept here too: other repositories import it from this file. */
export { isDuplicateKey }

const toMentor = ({ _id, poolId, userId, ...fields }: StoredMentor): Mentor =>
  ({ ...fields, id: toId(_id), poolId: toId(poolId), userId: userId ? toId(userId) : null })
const stored = ({ userId, ...rest }: MentorOrigin | MentorSet) => ({ ...rest, ...(userId === undefined ? {} : { userId: toObjectId(userId) }) })

/** Mentors, always looked up within one pool so an id from another pool is simply not found. */
export function createMentorRepository ({ mentors }: Pick<Models, 'mentors'>): MentorRepository {
  return {
    list: async (poolId: Id, filter: { active?: boolean } = {}): Promise<Mentor[]> =>
      (await mentors.find({ poolId: toObjectId(poolId), ...(filter.active === undefined ? {} : { active: filter.active }) }).sort({ name: 1, _id: 1 }).lean()).map(toMentor),
    find: async (poolId: Id, id: Id): Promise<Mentor | null> => {
      const found = await mentors.findOne({ _id: id, poolId: toObjectId(poolId) }).lean()
      return found ? toMentor(found) : null
    },
    findLinkedUsers: async (poolId: Id): Promise<Id[]> =>
      (await mentors.find({ poolId: toObjectId(poolId), userId: { $ne: null } }, { userId: 1 }).lean()).flatMap((m) => m.userId ? [toId(m.userId)] : []),
    emails: async (poolId: Id): Promise<Set<string>> =>
      new Set((await mentors.find({ poolId: toObjectId(poolId) }, { email: 1 }).lean()).map((m) => m.email)),
    count: async (poolId: Id): Promise<number> => await mentors.countDocuments({ poolId: toObjectId(poolId) }),
    countActive: async (poolId: Id): Promise<number> => await mentors.countDocuments({ poolId: toObjectId(poolId), active: true }),
    create: async (poolId: Id, input: MentorInput, origin: MentorOrigin): Promise<Mentor | null> => {
      try {
        return toMentor((await mentors.create({ ...input, ...stored(origin), poolId: toObjectId(poolId) })).toObject() as StoredMentor)
      } catch (err) {
        if (isDuplicateKey(err)) return null
        throw err
      }
    },
    update: async (poolId: Id, id: Id, set: MentorSet): Promise<Mentor | null | 'duplicate'> => {
      try {
        const updated = await mentors.findOneAndUpdate({ _id: id, poolId: toObjectId(poolId) }, { $set: stored(set) }, { new: true, runValidators: true }).lean()
        return updated ? toMentor(updated) : null
      } catch (err) {
        if (isDuplicateKey(err)) return 'duplicate'
        throw err
      }
    },
    /**
     * Without multi-document transactions the insert is ordered, so it stops at the first failure, and whatever
     * it wrote before that is deleted again by the ids chosen here.
     */
    insertAll: async (poolId: Id, inputs: MentorInput[], origin: MentorOrigin): Promise<'ok' | 'duplicate'> => {
      const docs = inputs.map((input) => ({ ...input, ...stored(origin), poolId: toObjectId(poolId), _id: new Types.ObjectId() }))
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
