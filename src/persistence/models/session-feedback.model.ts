import { Schema, type Connection, type InferSchemaType } from 'mongoose'
import { FEEDBACK_SIDES } from '../../domain/feedback/ports'
import { POINT_KEYS } from '../../domain/competencies/vocabulary'

/** One side's answer about one verified session, `_id` `<activityId>:<side>`: once per side, final once inserted. */
const sessionFeedbackSchema = new Schema({
  _id: { type: String, required: true },
  courseId: { type: Schema.Types.ObjectId, required: true },
  activityId: { type: Schema.Types.ObjectId, required: true },
  studentUserId: { type: Schema.Types.ObjectId, required: true },
  side: { type: String, enum: FEEDBACK_SIDES, required: true },
  byUserId: { type: Schema.Types.ObjectId, required: true },
  rating: { type: Number, required: true, min: 1, max: 5 },
  comment: { type: String, default: '' },
  sessionDate: { type: Date, required: true },
  at: { type: Date, required: true }
}, { versionKey: false })
sessionFeedbackSchema.index({ courseId: 1 })

export type SessionFeedbackDoc = InferSchemaType<typeof sessionFeedbackSchema>
export const sessionFeedbackModel = (conn: Connection) => conn.model('SessionFeedback', sessionFeedbackSchema, 'session_feedback')

/** One side's relationship check-in, `_id` `<courseId>:<studentUserId>:<point>:<side>`: once per point and side. */
const relationshipCheckInSchema = new Schema({
  _id: { type: String, required: true },
  courseId: { type: Schema.Types.ObjectId, required: true },
  studentUserId: { type: Schema.Types.ObjectId, required: true },
  point: { type: String, enum: POINT_KEYS, required: true },
  side: { type: String, enum: FEEDBACK_SIDES, required: true },
  byUserId: { type: Schema.Types.ObjectId, required: true },
  rating: { type: Number, required: true, min: 1, max: 5 },
  comment: { type: String, default: '' },
  at: { type: Date, required: true }
}, { versionKey: false })
relationshipCheckInSchema.index({ courseId: 1 })

export const relationshipCheckInModel = (conn: Connection) => conn.model('RelationshipCheckIn', relationshipCheckInSchema, 'relationship_checkins')
