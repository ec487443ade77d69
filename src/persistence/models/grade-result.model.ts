import { Schema, type Connection, type InferSchemaType } from 'mongoose'
import { scoreBodySchema } from './grade-outbox.model'

/**
 * What the LMS gradebook holds, per (line item, student): the last score it accepted and when, with the error the
 * attempts before it met, if any. Written only by workers, by replacing the document (delete, then insert).
 */
const gradeResultSchema = new Schema({
  /** The outbox key: a hash of line item URL and user sub. */
  _id: { type: String, required: true },
  courseId: { type: Schema.Types.ObjectId, required: true },
  lineItemUrl: { type: String, required: true },
  userId: { type: Schema.Types.ObjectId, required: true },
  version: { type: Number, required: true },
  body: { type: scoreBodySchema, required: true },
  /** The score's timestamp as sent. */
  timestamp: { type: Date, required: true },
  sentAt: { type: Date, required: true },
  lastError: { type: String, default: null },
  lastErrorAt: { type: Date, default: null }
}, { versionKey: false })
gradeResultSchema.index({ courseId: 1, lineItemUrl: 1 })

export type GradeResultDoc = InferSchemaType<typeof gradeResultSchema>
export const gradeResultModel = (conn: Connection) => conn.model('GradeResult', gradeResultSchema, 'grade_results')
