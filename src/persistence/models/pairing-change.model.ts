import { Schema, type Connection, type InferSchemaType } from 'mongoose'
import { PAIRING_CHANGE_KINDS } from '../../domain/pairing-workflow/vocabulary'

/**
 * One change to a course's pairing, as the history shows it: what, who (absent for automatic changes), when, why.
 * Never updated. `students` and `count` let one entry stand for a change to many pairs (a publication).
 */
const pairingChangeSchema = new Schema({
  courseId: { type: Schema.Types.ObjectId, required: true },
  kind: { type: String, enum: PAIRING_CHANGE_KINDS, required: true },
  byUserId: { type: Schema.Types.ObjectId },
  at: { type: Date, required: true },
  reason: { type: String, default: '' },
  studentUserId: { type: Schema.Types.ObjectId },
  fromMentorId: { type: Schema.Types.ObjectId },
  toMentorId: { type: Schema.Types.ObjectId },
  count: { type: Number },
  runId: { type: Schema.Types.ObjectId }
}, { versionKey: false })
pairingChangeSchema.index({ courseId: 1, at: -1 })
pairingChangeSchema.index({ courseId: 1, studentUserId: 1, at: -1 })

export type PairingChangeDoc = InferSchemaType<typeof pairingChangeSchema>
export const pairingChangeModel = (conn: Connection) => conn.model('PairingChange', pairingChangeSchema, 'pairing_changes')
