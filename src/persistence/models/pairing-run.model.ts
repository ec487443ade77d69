import { Schema, type Connection, type InferSchemaType } from 'mongoose'

/**
 * One pairing run, kept for audit and comparison: who ran it, when, with which method, settings and inputs,
 * and what it proposed. The instructor's adjustments (locks, forbids, moves) are the settings of the next run.
 */
const pairingRunSchema = new Schema({
  courseId: { type: Schema.Types.ObjectId, required: true },
  createdBy: { type: Schema.Types.ObjectId, required: true },
  method: { type: String, enum: ['stable', 'best-fit'], required: true },
  seed: { type: String, required: true },
  settings: { type: Schema.Types.Mixed, required: true },
  inputs: { type: Schema.Types.Mixed, required: true },
  result: { type: Schema.Types.Mixed, required: true },
  /** Both methods' figures for the same inputs, so the preview can say what the choice costs. */
  comparison: { type: Schema.Types.Mixed, required: true },
  publishedAt: { type: Date }
}, { timestamps: { createdAt: true, updatedAt: false } })
pairingRunSchema.index({ courseId: 1, createdAt: -1 })

export type PairingRunDoc = InferSchemaType<typeof pairingRunSchema>
export const pairingRunModel = (conn: Connection) => conn.model('PairingRun', pairingRunSchema, 'pairing_runs')
