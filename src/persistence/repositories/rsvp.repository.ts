import type { Types } from 'mongoose'
import type { Rsvp, RsvpRepository, TripSeats } from '../../domain/activities/ports'
import type { RsvpState } from '../../domain/activities/vocabulary'
import type { Id } from '../../domain/ids'
import { retryWhenBusy } from '../busy'
import type { Models } from '../database'
import type { RsvpDoc } from '../models/field-trip-rsvp.model'
import { isDuplicateKey } from '../duplicate-key'
import { toId, toObjectId, toObjectIds } from '../ids'
import { claimOnce } from '../single-use'

type StoredRsvp = RsvpDoc & { _id: Types.ObjectId }

const seatKey = (trip: Id, seat: number) => `${trip}:${seat}`
const noKey = (trip: Id, student: Id) => `${trip}:no:${student}`
const waitKey = (trip: Id, student: Id) => `${trip}:wait:${student}`
/** One offer of a seat per stay on the waitlist (a student who leaves and joins again waits anew). */
const offerKey = (trip: Id, row: StoredRsvp) => `trip-seat-offer:${trip}:${toId(row.studentUserId)}:${row.answeredAt.getTime()}`
const OFFER_KEPT_MS = 400 * 86_400_000
const byWaitingSince = (a: StoredRsvp, b: StoredRsvp) => a.answeredAt.getTime() - b.answeredAt.getTime() || String(a._id).localeCompare(String(b._id))
const seatOf = (r: StoredRsvp): number => r.answer === 'yes' ? Number(r.seatKey.slice(r.seatKey.lastIndexOf(':') + 1)) : -1
const rsvpOf = ({ seatKey: _seat, ...r }: StoredRsvp): Rsvp =>
  ({ ...r, _id: toId(r._id), courseId: toId(r.courseId), fieldTripId: toId(r.fieldTripId), studentUserId: toId(r.studentUserId) })

/** Answers to field trip invitations, one row per trip and student, seats claimed through a unique key. */
export function createRsvpRepository ({ rsvps, singleUseClaims }: Pick<Models, 'rsvps' | 'singleUseClaims'>): RsvpRepository {
  const rowsOf = async (fieldTripId: Id): Promise<StoredRsvp[]> => await rsvps.find({ fieldTripId: toObjectId(fieldTripId) }).lean<StoredRsvp[]>()

  /** Writes the student's row with the given key; false when the key is taken (by another student). */
  const claim = async (trip: TripSeats, student: Id, answer: RsvpState, key: string, at: Date): Promise<boolean> => {
    try {
      await retryWhenBusy(async () => await rsvps.updateOne(
        { fieldTripId: toObjectId(trip._id), studentUserId: toObjectId(student) },
        { $set: { courseId: toObjectId(trip.courseId), answer, seatKey: key, answeredAt: at } },
        { upsert: true }))
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
    /**
     * A yes takes the lowest free seat below the capacity ('full' when none is left); a no gives the seat back. On a
     * trip open to the course, a yes joins the waitlist when the trip is full or others already wait.
     */
    answer: async (trip, student, answer, at) => {
      if (answer === 'no') return await claim(trip, student, 'no', noKey(trip._id, student), at) ? 'saved' : 'full'
      const wait = async () => await claim(trip, student, 'waiting', waitKey(trip._id, student), at) ? 'waiting' as const : 'full' as const
      for (let round = 0; round < 3; round++) {
        const rows = await rowsOf(trip._id)
        const mine = rows.find((r) => toId(r.studentUserId) === student)
        if (mine?.answer === 'yes') return 'saved'
        if (mine?.answer === 'waiting') return 'waiting'
        if (trip.openToCourse === true && rows.some((r) => r.answer === 'waiting')) return await wait()
        const taken = new Set(rows.map(seatOf))
        for (let seat = 0; seat < trip.capacity; seat++) {
          if (!taken.has(seat) && await claim(trip, student, 'yes', seatKey(trip._id, seat), at)) return 'saved'
        }
        if (taken.size - (taken.has(-1) ? 1 : 0) >= trip.capacity) return trip.openToCourse === true ? await wait() : 'full'
      }
      return trip.openToCourse === true ? await wait() : 'full'
    },
    /**
     * Each round gives one free seat to the first waiting student whose offer this call claims: the offer is a unique
     * insert, so of promoters running at once only one seats a given student; the seat is a unique key, so none
     * seats more students than there are seats. An offer that finds no seat left is withdrawn for a later release.
     */
    promoteWaiting: async (trip, at) => {
      const promoted: Id[] = []
      for (let round = 0; round <= trip.capacity; round++) {
        const rows = await rowsOf(trip._id)
        const taken = new Set(rows.map(seatOf))
        const free = Array.from({ length: trip.capacity }, (_, seat) => seat).filter((seat) => !taken.has(seat))
        const waiting = rows.filter((r) => r.answer === 'waiting').sort(byWaitingSince)
        if (free.length === 0 || waiting.length === 0) break
        let seated = false
        for (const row of waiting) {
          const offer = offerKey(trip._id, row)
          if (!(await claimOnce({ singleUseClaims }, offer, new Date(at.getTime() + OFFER_KEPT_MS)))) continue
          const student = toId(row.studentUserId)
          const still = await rsvps.findOne({ _id: row._id }).lean<StoredRsvp>()
          if (still?.answer !== 'waiting' || still.answeredAt.getTime() !== row.answeredAt.getTime()) continue
          for (const seat of free) {
            if (await claim(trip, student, 'yes', seatKey(trip._id, seat), at)) { seated = true; break }
          }
          if (seated) promoted.push(student)
          else await retryWhenBusy(async () => await singleUseClaims.deleteOne({ _id: offer }))
          break
        }
        if (!seated) break
      }
      return promoted
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
