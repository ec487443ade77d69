import { Schema, type Connection, type InferSchemaType } from 'mongoose'

export const MENTOR_SOURCES = ['lms', 'external'] as const

/** A mentor of one pool: an LMS member the instructor accepted, or an external mentor invited by link. */
const mentorSchema = new Schema({
  poolId: { type: Schema.Types.ObjectId, required: true },
  name: { type: String, required: true },
  /** Stored lower-cased, so uniqueness within the pool ignores case. */
  email: { type: String, required: true },
  organisation: { type: String, default: '' },
  jobTitle: { type: String, default: '' },
  expertise: { type: [String], default: [] },
  capacity: { type: Number, required: true, min: 1, max: 50 },
  bio: { type: String, default: '' },
  /** When the mentor is usually free to meet, in their own words (they write it on their profile). */
  availability: { type: String, default: '' },
  /** When the mentor's photo (mentor_photos) was last set; null without one. Pages show it without reading the photo. */
  photoAt: { type: Date, default: null },
  active: { type: Boolean, default: true },
  source: { type: String, enum: MENTOR_SOURCES, required: true },
  /** The LMS user (source 'lms') or the tool-local user an invitation created (source 'external'). */
  userId: { type: Schema.Types.ObjectId }
}, { timestamps: true })
mentorSchema.index({ poolId: 1, email: 1 }, { unique: true })
mentorSchema.index({ poolId: 1, userId: 1 })

export type MentorDoc = InferSchemaType<typeof mentorSchema>

/** A mentor's optional photo, under the mentor's id. */
const mentorPhotoSchema = new Schema({
  _id: { type: String, required: true },
  type: { type: String, required: true },
  data: { type: Buffer, required: true },
  at: { type: Date, required: true }
}, { versionKey: false })
export const mentorPhotoModel = (conn: Connection) => conn.model('MentorPhoto', mentorPhotoSchema, 'mentor_photos')
export const mentorModel = (conn: Connection) => conn.model('Mentor', mentorSchema, 'mentors')
