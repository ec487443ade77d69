import type { Types } from 'mongoose'
import type { Rsvp, RsvpRepository, TripSeats } from '../../domain/activities/ports'
import type { RsvpAnswer } from '../../domain/activities/vocabulary'
import type { Id } from '../../domain/ids'
import type { Models } from '../database'
import type { RsvpDoc } from '../models/field-trip-rsvp.model'
import { isDuplicateKey } from '../duplicate-key'
import { toId, toObjectId, toObjectIds } from '../ids'

type StoredRsvp = RsvpDoc & { _id: Types.ObjectId }

const seatKey = (trip: Id, seat: number) => `${trip}:${seat}`
const noKey = (trip: Id, student: Id) => `${trip}:no:${student}`
const seatOf = (r: StoredRsvp): number => r.answer === 'yes' ? Number(r.seatKey.slice(r.seatKey.lastIndexOf(':') + 1)) : -1
const rsvpOf = ({ seatKey: _seat, ...r }: StoredRsvp): Rsvp =>
  ({ ...r, _id: toId(r._id), courseId: toId(r.courseId), fieldTripId: toId(r.fieldTripId), studentUserId: toId(r.studentUserId) })

/** Answers to field trip invitations, one row per trip and student, seats claimed through a unique key. */
export function createRsvpRepository ({ rsvps }: Pick<Models, 'rsvps'>): RsvpRepository {
  const rowsOf = async (fieldTripId: Id): Promise<StoredRsvp[]> => await rsvps.find({ fieldTripId: toObjectId(fieldTripId) }).lean<StoredRsvp[]>()

  /** Writes the student's row with the given key; false when the key is taken (by another student). */
  const claim = async (trip: TripSeats, student: Id, answer: RsvpAnswer, key: string, at: Date): Promise<boolean> => {
    try {
      await rsvps.updateOne(
        { fieldTripId: toObjectId(trip._id), studentUserId: toObjectId(student) },
        { $set: { courseId: toObjectId(trip.courseId), answer, seatKey: key, answeredAt: at } },
        { upsert: true })
      return true
    } catch (err) {
      if (isDuplicateKey(err)) return false
      throw err
    }
  }

  return {
    ofTrip: async (fieldTripId) => (await rowsOf(fieldTripId)).map(rsvpOf),
    ofTrips: async (fieldTripIds) => (await rsvps.find({ fieldTripId: { $in: toObjectIds(fieldTripIds) } }).lean<StoredRsvp[]>()).map(rsvpOf),
    countYes: async (fieldTripId) => await rsvps.countDocuments({ fieldTripId: toObjectId(fieldTripId), answer: 'yes' }),
    /** A yes takes the lowest free seat below the capacity ('full' when none is left); a no gives the seat back. */
    answer: async (trip, student, answer, at) => {
      if (answer === 'no') return await claim(trip, student, 'no', noKey(trip._id, student), at) ? 'saved' : 'full'
      for (let round = 0; round < 3; round++) {
        const rows = await rowsOf(trip._id)
        if (rows.some((r) => toId(r.studentUserId) === student && r.answer === 'yes')) return 'saved'
        const taken = new Set(rows.map(seatOf))
        for (let seat = 0; seat < trip.capacity; seat++) {
          if (!taken.has(seat) && await claim(trip, student, 'yes', seatKey(trip._id, seat), at)) return 'saved'
        }
        if (taken.size - (taken.has(-1) ? 1 : 0) >= trip.capacity) return 'full'
      }
      return 'full'
    },
    /**
     * Moves seats numbered at or above a lowered capacity into free lower seats; false when there are more
     * yes answers than the new capacity (a student took a seat meanwhile).
     */
    fitInto: async (trip, capacity) => {
      const rows = await rowsOf(trip._id)
      const taken = new Set(rows.map(seatOf))
      const free = Array.from({ length: capacity }, (_, seat) => seat).filter((seat) => !taken.has(seat))
      for (const row of rows.filter((r) => seatOf(r) >= capacity)) {
        let moved = false
        while (!moved && free.length > 0) moved = await claim(trip, toId(row.studentUserId), 'yes', seatKey(trip._id, free.shift() as number), row.answeredAt)
        if (!moved) return false
      }
      return true
    },
    removeStudents: async (fieldTripId, keep) => {
      await rsvps.deleteMany({ fieldTripId: toObjectId(fieldTripId), studentUserId: { $nin: toObjectIds(keep) } })
    }
  }
}
