import { Types } from 'mongoose'
import type { Slot } from '../../domain/booking/availability'
import type { Booking, BookingRepository, NewBooking, SlotRepository } from '../../domain/booking/ports'
import type { Id } from '../../domain/ids'
import { retryWhenBusy } from '../busy'
import type { Models } from '../database'
import { isDuplicateKey } from '../duplicate-key'
import { toId, toObjectId, toObjectIds } from '../ids'
import type { BookingSlotDoc, SessionBookingDoc } from '../models/booking.model'
import { updateIfUnchanged } from '../versioned-update'

type StoredSlot = BookingSlotDoc & { _id: Types.ObjectId, createdAt: Date }
type StoredBooking = SessionBookingDoc & { _id: Types.ObjectId, createdAt: Date, updatedAt: Date }

const slotOf = ({ deletedAt: _d, ...s }: StoredSlot): Slot => ({
  ...s, _id: toId(s._id), courseId: toId(s.courseId), mentorUserId: toId(s.mentorUserId), kind: s.kind as Slot['kind'], weekday: s.weekday ?? null
})
const bookingOf = ({ mentorKey: _m, studentKey: _s, ...b }: StoredBooking): Booking => ({
  ...b,
  _id: toId(b._id),
  courseId: toId(b.courseId),
  mentorUserId: toId(b.mentorUserId),
  studentUserId: toId(b.studentUserId),
  slotId: toId(b.slotId),
  seriesId: toId(b.seriesId),
  activityId: b.activityId ? toId(b.activityId) : null,
  changedBy: b.changedBy ? toId(b.changedBy) : null
})

/** The unique keys a live booking holds: the mentor's and the student's start instant. */
export const mentorKeyOf = (mentorUserId: Id, startsAt: Date): string => `${mentorUserId}|${startsAt.toISOString()}`
const studentKeyOf = (studentUserId: Id, startsAt: Date): string => `s:${studentUserId}|${startsAt.toISOString()}`
/** What a released booking holds instead: nothing anyone else can want. */
const releasedKey = (id: Id): string => `-${id}`

export function createSlotRepository ({ bookingSlots }: Pick<Models, 'bookingSlots'>): SlotRepository {
  return {
    create: async (slot) => slotOf((await retryWhenBusy(async () => await bookingSlots.create({
      ...slot, courseId: toObjectId(slot.courseId), mentorUserId: toObjectId(slot.mentorUserId)
    }))).toObject() as StoredSlot),
    find: async (courseId, id) => {
      const found = await bookingSlots.findOne({ _id: toObjectId(id), courseId: toObjectId(courseId), deletedAt: null }).lean<StoredSlot>()
      return found ? slotOf(found) : null
    },
    ofMentor: async (courseId, mentorUserId) =>
      (await bookingSlots.find({ courseId: toObjectId(courseId), mentorUserId: toObjectId(mentorUserId), deletedAt: null }).sort({ from: 1, startTime: 1 }).lean<StoredSlot[]>()).map(slotOf),
    remove: async (seen, at) => { await retryWhenBusy(async () => await bookingSlots.updateOne({ _id: toObjectId(seen._id) }, { $set: { deletedAt: at } })) }
  }
}

export function createBookingRepository ({ sessionBookings, singleUseClaims }: Pick<Models, 'sessionBookings' | 'singleUseClaims'>): BookingRepository {
  return {
    claim: async (booking: NewBooking) => {
      const _id = new Types.ObjectId()
      try {
        const created = await retryWhenBusy(async () => await sessionBookings.create({
          ...booking,
          _id,
          courseId: toObjectId(booking.courseId),
          mentorUserId: toObjectId(booking.mentorUserId),
          studentUserId: toObjectId(booking.studentUserId),
          slotId: toObjectId(booking.slotId),
          activityId: booking.activityId ? toObjectId(booking.activityId) : null,
          changedBy: booking.changedBy ? toObjectId(booking.changedBy) : null,
          seriesId: toObjectId(booking.seriesId ?? toId(_id)),
          status: 'booked',
          mentorKey: mentorKeyOf(booking.mentorUserId, booking.startsAt),
          studentKey: studentKeyOf(booking.studentUserId, booking.startsAt)
        }))
        return bookingOf(created.toObject() as StoredBooking)
      } catch (err) {
        if (!isDuplicateKey(err)) throw err
        const holder = await sessionBookings.exists({ mentorKey: mentorKeyOf(booking.mentorUserId, booking.startsAt) })
        return holder !== null ? 'taken' : 'student-busy'
      }
    },
    release: async (seen, status, by, note) => await updateIfUnchanged({ singleUseClaims }, `session_bookings:${seen._id}`, seen.updatedAt, async () => {
      const released = await retryWhenBusy(async () => await sessionBookings.findOneAndUpdate(
        { _id: toObjectId(seen._id), status: 'booked' },
        { $set: { status, note, changedBy: toObjectId(by), mentorKey: releasedKey(seen._id), studentKey: releasedKey(`s${seen._id}`) }, ...(status === 'cancelled' ? { $inc: { sequence: 1 } } : {}) },
        { new: true }
      ).lean<StoredBooking>())
      return released ? bookingOf(released) : null
    }),
    linkRecord: async (id, activityId) => {
      await retryWhenBusy(async () => await sessionBookings.updateOne({ _id: toObjectId(id) }, { $set: { activityId: toObjectId(activityId) } }, { timestamps: false }))
    },
    find: async (courseId, id) => {
      const found = await sessionBookings.findOne({ _id: toObjectId(id), courseId: toObjectId(courseId) }).lean<StoredBooking>()
      return found ? bookingOf(found) : null
    },
    live: async (courseId, { mentorUserId, studentUserIds }) => (await sessionBookings.find({
      courseId: toObjectId(courseId),
      status: 'booked',
      ...(mentorUserId !== undefined ? { mentorUserId: toObjectId(mentorUserId) } : {}),
      ...(studentUserIds !== undefined ? { studentUserId: { $in: toObjectIds(studentUserIds) } } : {})
    }).sort({ startsAt: 1 }).lean<StoredBooking[]>()).map(bookingOf),
    takenOf: async (mentorUserId, after) =>
      (await sessionBookings.find({ mentorUserId: toObjectId(mentorUserId), status: 'booked', startsAt: { $gt: after } }).sort({ startsAt: 1 }).lean<StoredBooking[]>()).map(bookingOf)
  }
}
