import type { Types, UpdateQuery } from 'mongoose'
import type { Models } from '../database'
import type { FieldTripDoc } from '../models/field-trip.model'

type Id = Types.ObjectId
export type FieldTrip = FieldTripDoc & { _id: Id, createdAt: Date, updatedAt: Date }

/** Field trips of a course; like every record, bound to one course and soft-deleted. */
export function createFieldTripRepository ({ fieldTrips }: Pick<Models, 'fieldTrips'>) {
  const live = (courseId: Id) => ({ courseId, deletedAt: null })
  const find = async (courseId: Id, id: Id | string): Promise<FieldTrip | null> => await fieldTrips.findOne({ _id: id, ...live(courseId) }).lean<FieldTrip>()
  return {
    find,
    /** Trips organised by `organiser` or inviting any of `invited`; every trip of the course when both are absent. */
    list: async (courseId: Id, who: { organiser?: Id, invited?: readonly Id[] } = {}): Promise<FieldTrip[]> => {
      const or = [
        ...(who.organiser ? [{ organiserUserId: who.organiser }] : []),
        ...(who.invited ? [{ invitedUserIds: { $in: who.invited } }] : [])
      ]
      const filter = who.organiser || who.invited ? { $or: or.length > 0 ? or : [{ _id: null }] } : {}
      return await fieldTrips.find({ ...live(courseId), ...filter }).sort({ startsAt: 1, _id: 1 }).lean<FieldTrip[]>()
    },
    create: async (doc: Record<string, unknown>): Promise<FieldTrip> => (await fieldTrips.create(doc)).toObject() as FieldTrip,
    update: async (seen: FieldTrip, update: UpdateQuery<unknown>): Promise<FieldTrip | null> =>
      await fieldTrips.findOneAndUpdate({ _id: seen._id, ...live(seen.courseId), updatedAt: seen.updatedAt }, update, { new: true, runValidators: true }).lean<FieldTrip>(),
    softDelete: async (seen: FieldTrip, by: Id, at: Date): Promise<FieldTrip | null> =>
      await fieldTrips.findOneAndUpdate({ _id: seen._id, ...live(seen.courseId) }, { $set: { deletedAt: at, deletedBy: by } }, { new: true }).lean<FieldTrip>()
  }
}

export type FieldTripRepository = ReturnType<typeof createFieldTripRepository>
