import { Schema, type Connection, type InferSchemaType } from 'mongoose'
import { REMATCH_ROLES, REMATCH_STATUSES } from '../../domain/pairing-workflow/vocabulary'

/**
 * A student's or mentor's request for a different pairing, with their reason (seen only by the course's instructors
 * and the person who asked). One open request per student: the partial unique index refuses a second one.
 */
const rematchRequestSchema = new Schema({
  courseId: { type: Schema.Types.ObjectId, required: true },
  studentUserId: { type: Schema.Types.ObjectId, required: true },
  /** The pool mentor the student had when the request was made. */
  mentorId: { type: Schema.Types.ObjectId, required: true },
  byUserId: { type: Schema.Types.ObjectId, required: true },
  byRole: { type: String, enum: REMATCH_ROLES, required: true },
  reason: { type: String, required: true },
  status: { type: String, enum: REMATCH_STATUSES, default: 'open' },
  /**
   * `<course>:<student>` while open, the request's own id once decided: the unique index keeps one open request per
   * student (FerretDB has no partial indexes, so a decided request moves out of the way instead).
   */
  openKey: { type: String, required: true },
  decidedBy: { type: Schema.Types.ObjectId },
  decidedAt: { type: Date },
  note: { type: String, default: '' },
  toMentorId: { type: Schema.Types.ObjectId }
}, { timestamps: true })
rematchRequestSchema.index({ openKey: 1 }, { unique: true })
rematchRequestSchema.index({ courseId: 1, status: 1 })

export type RematchRequestDoc = InferSchemaType<typeof rematchRequestSchema>
export const rematchRequestModel = (conn: Connection) => conn.model('RematchRequest', rematchRequestSchema, 'rematch_requests')
