// What session booking needs from storage, in domain types; src/persistence/repositories/booking.repository.ts implements it.
import type { Id } from '../ids'
import type { Slot, Venue } from './availability'

export type NewSlot = Omit<Slot, '_id' | 'createdAt'>

/** A mentor's published slots of a course. Removing one keeps the sessions already booked in it. */
export interface SlotRepository {
  create: (slot: NewSlot) => Promise<Slot>
  find: (courseId: Id, id: Id) => Promise<Slot | null>
  ofMentor: (courseId: Id, mentorUserId: Id) => Promise<Slot[]>
  remove: (seen: Slot, at: Date) => Promise<void>
}

/** A booking lives until it is cancelled, or moved (the move is a new booking of the same series). */
export const BOOKING_STATUSES = ['booked', 'moved', 'cancelled'] as const
export type BookingStatus = typeof BOOKING_STATUSES[number]

export interface Booking extends Venue {
  _id: Id
  courseId: Id
  mentorUserId: Id
  studentUserId: Id
  startsAt: Date
  minutes: number
  timeZone: string
  slotId: Id
  status: BookingStatus
  /** The planned 1:1 session in the student's record. */
  activityId: Id | null
  /** The first booking of a session moved since (its calendar entry keeps that booking's id); its own id otherwise. */
  seriesId: Id
  /** Grows with each move and the cancellation, so a calendar replaces its older copy. */
  sequence: number
  /** What the person who moved or cancelled it wrote to the other. */
  note: string
  changedBy: Id | null
  createdAt: Date
  updatedAt: Date
}

export type NewBooking = Pick<Booking, 'courseId' | 'mentorUserId' | 'studentUserId' | 'startsAt' | 'minutes' | 'timeZone' | 'slotId' | 'place' | 'videoLink' | 'activityId' | 'sequence' | 'note' | 'changedBy'> & { seriesId?: Id }

/**
 * Bookings. A booking is a claim: its insert holds the mentor's start instant and the student's under unique keys,
 * so of two requests for one time exactly one is stored, on MongoDB and on FerretDB alike.
 */
export interface BookingRepository {
  /** Stores the booking; 'taken' when the mentor's time is held already, 'student-busy' when the student's is. */
  claim: (booking: NewBooking) => Promise<Booking | 'taken' | 'student-busy'>
  /** Ends a booking (its times are free again); null if it changed since `seen` (someone else moved or cancelled it). */
  release: (seen: Booking, status: 'moved' | 'cancelled', by: Id, note: string) => Promise<Booking | null>
  linkRecord: (id: Id, activityId: Id) => Promise<void>
  /** Also a moved or cancelled booking. */
  find: (courseId: Id, id: Id) => Promise<Booking | null>
  /** The course's live bookings: of a mentor, of some students, or all of them. */
  live: (courseId: Id, who: { mentorUserId?: Id, studentUserIds?: readonly Id[] }) => Promise<Booking[]>
  /** A mentor's live bookings in every course, starting after `after`: the times already taken. */
  takenOf: (mentorUserId: Id, after: Date) => Promise<Booking[]>
}
