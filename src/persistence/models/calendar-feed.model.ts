import { Schema, type Connection } from 'mongoose'
import { COURSE_ROLES } from './membership.model'

/**
 * Personal calendar links, under the SHA-256 of their token (the feed's one lookup is by `_id`); the token itself is
 * never stored. The unique index keeps one link per person and course, whichever of two clicks inserts first.
 */
const calendarFeedSchema = new Schema({
  _id: { type: String, required: true },
  courseId: { type: Schema.Types.ObjectId, required: true },
  userId: { type: Schema.Types.ObjectId, required: true },
  role: { type: String, enum: COURSE_ROLES, required: true },
  createdAt: { type: Date, required: true }
}, { versionKey: false })
calendarFeedSchema.index({ courseId: 1, userId: 1 }, { unique: true })

export const calendarFeedModel = (conn: Connection) => conn.model('CalendarFeed', calendarFeedSchema, 'calendar_feeds')
