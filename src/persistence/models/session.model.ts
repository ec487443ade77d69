import { Schema, type Connection, type InferSchemaType } from 'mongoose'
import { COURSE_ROLES } from './membership.model'

/** A signed-in launch. The browser carries only a signed token naming it, so no third-party cookie is needed. */
const sessionSchema = new Schema({
  userId: { type: Schema.Types.ObjectId, required: true },
  courseId: { type: Schema.Types.ObjectId, required: true },
  role: { type: String, enum: COURSE_ROLES, required: true },
  expiresAt: { type: Date, required: true },
  /** The user as the launch that opened the session described them: pages read it instead of the users collection. */
  user: { type: Schema.Types.Mixed },
  /** The zone the browser reported, for people whose LMS sends none. */
  browserTimeZone: { type: String },
  /** Counted up each time the session is ended (sign-out, a membership that no longer holds); tokens carry the count they were issued under. */
  generation: { type: Number }
}, { timestamps: { createdAt: true, updatedAt: false } })

export type SessionDoc = InferSchemaType<typeof sessionSchema>
export const sessionModel = (conn: Connection) => conn.model('Session', sessionSchema, 'sessions')
