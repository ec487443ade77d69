import { Schema, type Connection, type InferSchemaType } from 'mongoose'
import { BOOKING_STATUSES } from '../../domain/booking/ports'

/** A mentor's published availability in a course: weekly between two days, or once (domain/booking/availability.ts). */
const bookingSlotSchema = new Schema({
  courseId: { type: Schema.Types.ObjectId, required: true },
  mentorUserId: { type: Schema.Types.ObjectId, required: true },
  kind: { type: String, enum: ['weekly', 'once'], required: true },
  weekday: { type: Number, default: null },
  from: { type: String, required: true },
  until: { type: String, required: true },
  startTime: { type: String, required: true },
  minutes: { type: Number, required: true },
  timeZone: { type: String, required: true },
  place: { type: String, default: '' },
  videoLink: { type: String, default: '' },
  deletedAt: { type: Date, default: null }
}, { timestamps: { createdAt: true, updatedAt: false }, versionKey: false })
bookingSlotSchema.index({ courseId: 1, mentorUserId: 1, deletedAt: 1 })

/**
 * A booked 1:1 session. `mentorKey` ('<mentor user>|<start instant>') and `studentKey` are unique: the insert is
 * the claim, so two students booking one time at the same moment get exactly one booking, on FerretDB as on
 * MongoDB. Moving or cancelling sets both keys to the booking's own id ('-<id>'), freeing the times.
 */
const sessionBookingSchema = new Schema({
  courseId: { type: Schema.Types.ObjectId, required: true },
  mentorUserId: { type: Schema.Types.ObjectId, required: true },
  studentUserId: { type: Schema.Types.ObjectId, required: true },
  startsAt: { type: Date, required: true },
  minutes: { type: Number, required: true },
  timeZone: { type: String, required: true },
  slotId: { type: Schema.Types.ObjectId, required: true },
  place: { type: String, default: '' },
  videoLink: { type: String, default: '' },
  status: { type: String, enum: BOOKING_STATUSES, required: true },
  activityId: { type: Schema.Types.ObjectId, default: null },
  seriesId: { type: Schema.Types.ObjectId, required: true },
  sequence: { type: Number, default: 0 },
  note: { type: String, default: '' },
  changedBy: { type: Schema.Types.ObjectId, default: null },
  mentorKey: { type: String, required: true },
  studentKey: { type: String, required: true }
}, { timestamps: true, versionKey: false })
sessionBookingSchema.index({ mentorKey: 1 }, { unique: true })
sessionBookingSchema.index({ studentKey: 1 }, { unique: true })
sessionBookingSchema.index({ courseId: 1, status: 1 })

export type BookingSlotDoc = InferSchemaType<typeof bookingSlotSchema>
export type SessionBookingDoc = InferSchemaType<typeof sessionBookingSchema>
export const bookingSlotModel = (conn: Connection) => conn.model('BookingSlot', bookingSlotSchema, 'booking_slots')
export const sessionBookingModel = (conn: Connection) => conn.model('SessionBooking', sessionBookingSchema, 'session_bookings')
