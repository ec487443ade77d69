import { Schema, type Connection, type InferSchemaType } from 'mongoose'

/**
 * A check-in window of a field trip. Codes are unique across every check-in ever opened, so a code shown at one
 * event can never check anyone into another.
 */
const checkInSchema = new Schema({
  code: { type: String, required: true },
  courseId: { type: Schema.Types.ObjectId, required: true },
  fieldTripId: { type: Schema.Types.ObjectId, required: true },
  opensAt: { type: Date, required: true },
  closesAt: { type: Date, required: true },
  openedBy: { type: Schema.Types.ObjectId, required: true }
}, { timestamps: { createdAt: true, updatedAt: false } })
checkInSchema.index({ code: 1 }, { unique: true })
checkInSchema.index({ fieldTripId: 1, closesAt: -1 })

export type CheckInDoc = InferSchemaType<typeof checkInSchema>
export const checkInModel = (conn: Connection) => conn.model('CheckIn', checkInSchema, 'check_ins')
