import type { Types } from 'mongoose'
import type { FieldTrip, FieldTripChanges, FieldTripRepository, FieldTripSettings, NewFieldTrip } from '../../domain/activities/ports'
import type { Id } from '../../domain/ids'
import type { Models } from '../database'
import { retryWhenBusy } from '../busy'
import { updateIfUnchanged } from '../versioned-update'
import type { FieldTripDoc } from '../models/field-trip.model'
import { toId, toIds, toObjectId, toObjectIds } from '../ids'

type StoredTrip = FieldTripDoc & { _id: Types.ObjectId, createdAt: Date, updatedAt: Date, __v?: number }

const tripOf = ({ __v: _v, ...t }: StoredTrip): FieldTrip => ({
  ...t,
  _id: toId(t._id),
  courseId: toId(t.courseId),
  invitedUserIds: toIds(t.invitedUserIds),
  organiserUserId: toId(t.organiserUserId),
  endsAt: t.endsAt ?? null,
  openToCourse: t.openToCourse === true,
  deletedBy: t.deletedBy ? toId(t.deletedBy) : null
})
const stored = (changes: FieldTripChanges) => changes.invitedUserIds ? { ...changes, invitedUserIds: toObjectIds(changes.invitedUserIds) } : changes

/** Field trips of a course; like every record, bound to one course and soft-deleted. */
export function createFieldTripRepository ({ fieldTrips, singleUseClaims }: Pick<Models, 'fieldTrips' | 'singleUseClaims'>): FieldTripRepository {
  const live = (courseId: Id) => ({ courseId: toObjectId(courseId), deletedAt: null })
  const one = (trip: StoredTrip | null): FieldTrip | null => trip ? tripOf(trip) : null
  return {
    find: async (courseId, id) => one(await fieldTrips.findOne({ _id: toObjectId(id), ...live(courseId) }).lean<StoredTrip>()),
    findEvenCancelled: async (courseId, id) => one(await fieldTrips.findOne({ _id: toObjectId(id), courseId: toObjectId(courseId) }).lean<StoredTrip>()),
    list: async (courseId, who = {}) => {
      const or = [
        ...(who.organiser ? [{ organiserUserId: toObjectId(who.organiser) }] : []),
        ...(who.invited ? [{ invitedUserIds: { $in: toObjectIds(who.invited) } }] : [])
      ]
      const filter = who.organiser || who.invited ? { $or: or.length > 0 ? or : [{ _id: null }] } : {}
      return (await fieldTrips.find({ ...live(courseId), ...filter }).sort({ startsAt: 1, _id: 1 }).lean<StoredTrip[]>()).map(tripOf)
    },
    create: async (trip: NewFieldTrip) => tripOf((await fieldTrips.create({
      ...stored(trip), courseId: toObjectId(trip.courseId), organiserUserId: toObjectId(trip.organiserUserId)
    })).toObject() as StoredTrip),
    update: async (seen, changes) => await updateIfUnchanged({ singleUseClaims }, `field_trips:${seen._id}`, seen.updatedAt, async () =>
      one(await fieldTrips.findOneAndUpdate({ _id: toObjectId(seen._id), ...live(seen.courseId), updatedAt: seen.updatedAt }, { $set: stored(changes) }, { new: true, runValidators: true }).lean<StoredTrip>())),
    softDelete: async (seen, by, at) =>
      one(await fieldTrips.findOneAndUpdate({ _id: toObjectId(seen._id), ...live(seen.courseId) }, { $set: { deletedAt: at, deletedBy: toObjectId(by) } }, { new: true }).lean<StoredTrip>())
  }
}

/** A course's own field trip settings, one small document under the course id. */
export function createFieldTripSettingsRepository ({ fieldTripSettings }: Pick<Models, 'fieldTripSettings'>): FieldTripSettings {
  return {
    checkInWindow: async (courseId) => {
      const doc = await fieldTripSettings.findById(String(courseId)).lean()
      return doc ? { beforeMinutes: doc.checkInBeforeMinutes, afterMinutes: doc.checkInAfterMinutes } : null
    },
    saveCheckInWindow: async (courseId, { beforeMinutes, afterMinutes }) => {
      await retryWhenBusy(async () => await fieldTripSettings.replaceOne(
        { _id: String(courseId) }, { checkInBeforeMinutes: beforeMinutes, checkInAfterMinutes: afterMinutes }, { upsert: true }))
    }
  }
}
