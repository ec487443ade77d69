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
  /**
   * Gzipped JSON of { settings, inputs, result, comparison } (comparison: both methods' figures for the same inputs,
   * so the preview can say what the choice costs). One compressed value, because FerretDB reads and writes at a cost
   * that grows with a document's fields and bytes: a run of 10,000 students took seconds to store as nested documents
   * and ~0.17 s as a 3.5 MB string, against a few milliseconds gzipped (about a tenth of the size).
   */
  bodyGz: { type: Buffer },
  // Runs stored before `bodyGz`: the same JSON as a string, or the four parts as nested documents.
  body: { type: String },
  // Runs stored before `body`: the same four parts as nested documents.
  settings: { type: Schema.Types.Mixed },
  inputs: { type: Schema.Types.Mixed },
  result: { type: Schema.Types.Mixed },
  comparison: { type: Schema.Types.Mixed },
  publishedAt: { type: Date }
}, { timestamps: { createdAt: true, updatedAt: false } })
pairingRunSchema.index({ courseId: 1, createdAt: -1 })

export type PairingRunDoc = InferSchemaType<typeof pairingRunSchema>
export const pairingRunModel = (conn: Connection) => conn.model('PairingRun', pairingRunSchema, 'pairing_runs')
