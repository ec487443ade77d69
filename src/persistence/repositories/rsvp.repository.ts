import type { Types } from 'mongoose'
import type { RsvpAnswer } from '../../domain/activities/vocabulary'
import type { Models } from '../database'
import type { RsvpDoc } from '../models/field-trip-rsvp.model'
import { isDuplicateKey } from '../duplicate-key'

type Id = Types.ObjectId
export type Rsvp = RsvpDoc & { _id: Id }
interface TripSeats { _id: Id, courseId: Id, capacity: number }

const seatKey = (trip: Id, seat: number) => `${String(trip)}:${seat}`
const noKey = (trip: Id, student: Id) => `${String(trip)}:no:${String(student)}`
const seatOf = (r: Rsvp): number => r.answer === 'yes' ? Number(r.seatKey.slice(r.seatKey.lastIndexOf(':') + 1)) : -1

/** Answers to field trip invitations, one row per trip and student, seats claimed through a unique key. */
export function createRsvpRepository ({ rsvps }: Pick<Models, 'rsvps'>) {
  const ofTrip = async (fieldTripId: Id): Promise<Rsvp[]> => await rsvps.find({ fieldTripId }).lean<Rsvp[]>()

  /** Writes the student's row with the given key; false when the key is taken (by another student). */
  const claim = async (trip: TripSeats, student: Id, answer: RsvpAnswer, key: string, at: Date): Promise<boolean> => {
    try {
      await rsvps.updateOne(
        { fieldTripId: trip._id, studentUserId: student },
        { $set: { courseId: trip.courseId, answer, seatKey: key, answeredAt: at } },
        { upsert: true })
      return true
    } catch (err) {
      if (isDuplicateKey(err)) return false
      throw err
    }
  }

  return {
    ofTrip,
    ofTrips: async (fieldTripIds: Id[]): Promise<Rsvp[]> => await rsvps.find({ fieldTripId: { $in: fieldTripIds } }).lean<Rsvp[]>(),
    countYes: async (fieldTripId: Id): Promise<number> => await rsvps.countDocuments({ fieldTripId, answer: 'yes' }),
    /** A yes takes the lowest free seat below the capacity ('full' when none is left); a no gives the seat back. */
    answer: async (trip: TripSeats, student: Id, answer: RsvpAnswer, at: Date): Promise<'saved' | 'full'> => {
      if (answer === 'no') return await claim(trip, student, 'no', noKey(trip._id, student), at) ? 'saved' : 'full'
      for (let round = 0; round < 3; round++) {
        const rows = await ofTrip(trip._id)
        if (rows.some((r) => r.studentUserId.equals(student) && r.answer === 'yes')) return 'saved'
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
    fitInto: async (trip: TripSeats, capacity: number): Promise<boolean> => {
      const rows = await ofTrip(trip._id)
      const taken = new Set(rows.map(seatOf))
      const free = Array.from({ length: capacity }, (_, seat) => seat).filter((seat) => !taken.has(seat))
      for (const row of rows.filter((r) => seatOf(r) >= capacity)) {
        let moved = false
        while (!moved && free.length > 0) moved = await claim(trip, row.studentUserId, 'yes', seatKey(trip._id, free.shift() as number), row.answeredAt)
        if (!moved) return false
      }
      return true
    },
    /** Forgets the answers of students no longer invited. */
    removeStudents: async (fieldTripId: Id, keep: readonly Id[]): Promise<void> => {
      await rsvps.deleteMany({ fieldTripId, studentUserId: { $nin: keep } })
    }
  }
}

export type RsvpRepository = ReturnType<typeof createRsvpRepository>
