import { Schema, type Connection, type InferSchemaType } from 'mongoose'
import { COURSE_ROLES } from './membership.model'

/** A field trip, organised by a mentor for their mentees or by an instructor for the course (RSVPs: field-trip-rsvp). */
const fieldTripSchema = new Schema({
  courseId: { type: Schema.Types.ObjectId, required: true },
  title: { type: String, required: true },
  startsAt: { type: Date, required: true },
  timeZone: { type: String },
  endsAt: { type: Date, default: null },
  place: { type: String, required: true },
  description: { type: String, default: '' },
  capacity: { type: Number, required: true, min: 1 },
  invitedUserIds: { type: [Schema.Types.ObjectId], default: [] },
  openToCourse: { type: Boolean, default: false },
  organiserUserId: { type: Schema.Types.ObjectId, required: true },
  organiserRole: { type: String, enum: COURSE_ROLES, required: true },
  deletedAt: { type: Date, default: null },
  deletedBy: { type: Schema.Types.ObjectId, default: null }
}, { timestamps: true })
fieldTripSchema.index({ courseId: 1, deletedAt: 1, startsAt: 1 })

export type FieldTripDoc = InferSchemaType<typeof fieldTripSchema>
export const fieldTripModel = (conn: Connection) => conn.model('FieldTrip', fieldTripSchema, 'field_trips')

/** A course's own settings for its field trips, under the course id (absent: the defaults). */
const fieldTripSettingSchema = new Schema({
  _id: { type: String, required: true },
  checkInBeforeMinutes: { type: Number, required: true },
  checkInAfterMinutes: { type: Number, required: true }
}, { versionKey: false })

export const fieldTripSettingModel = (conn: Connection) => conn.model('FieldTripSetting', fieldTripSettingSchema, 'field_trip_settings')
