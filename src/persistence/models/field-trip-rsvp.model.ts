import { Schema, type Connection, type InferSchemaType } from 'mongoose'
import { RSVP_STATES } from '../../domain/activities/vocabulary'

/**
 * One invited student's answer to one field trip. A yes holds a numbered seat: `seatKey` is '<trip>:<seat>' (or
 * '<trip>:no:<student>' for a no, '<trip>:wait:<student>' on the waitlist) under a unique index, so two students can never hold the same seat even on a
 * database whose single-document updates are not atomic (FerretDB on SQLite).
 */
const rsvpSchema = new Schema({
  courseId: { type: Schema.Types.ObjectId, required: true },
  fieldTripId: { type: Schema.Types.ObjectId, required: true },
  studentUserId: { type: Schema.Types.ObjectId, required: true },
  answer: { type: String, enum: RSVP_STATES, required: true },
  seatKey: { type: String, required: true },
  answeredAt: { type: Date, required: true }
}, { versionKey: false })
rsvpSchema.index({ fieldTripId: 1, studentUserId: 1 }, { unique: true })
rsvpSchema.index({ seatKey: 1 }, { unique: true })

export type RsvpDoc = InferSchemaType<typeof rsvpSchema>
export const rsvpModel = (conn: Connection) => conn.model('FieldTripRsvp', rsvpSchema, 'field_trip_rsvps')
