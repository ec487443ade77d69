import { Schema, type Connection, type InferSchemaType } from 'mongoose'

export const PAIRING_SOURCES = ['run', 'late-enrolment', 'repair'] as const

/**
 * A published pairing: one document per student of a course, naming their current pool mentor. Earlier mentors
 * stay in `history`, so a re-pair never loses who mentored whom. Proposals live in pairing runs until publication.
 */
const pairingSchema = new Schema({
  courseId: { type: Schema.Types.ObjectId, required: true },
  studentUserId: { type: Schema.Types.ObjectId, required: true },
  mentorId: { type: Schema.Types.ObjectId, required: true },
  status: { type: String, enum: ['active', 'released'], default: 'active' },
  source: { type: String, enum: PAIRING_SOURCES, required: true },
  runId: { type: Schema.Types.ObjectId },
  /** The publication that wrote it: seen only once that publication completed (see persistence/visible-pairings.ts). */
  publicationId: { type: Schema.Types.ObjectId },
  explanation: { type: String, default: '' },
  /** A person chose this pair after publication (move, swap, accepted request): a re-pair keeps it. */
  pinned: { type: Boolean },
  publishedAt: { type: Date, required: true },
  releasedAt: { type: Date },
  releaseReason: { type: String },
  history: {
    type: [{ mentorId: Schema.Types.ObjectId, from: Date, to: Date, reason: String, _id: false }],
    default: []
  }
}, { timestamps: true })
pairingSchema.index({ courseId: 1, studentUserId: 1 }, { unique: true })
pairingSchema.index({ courseId: 1, mentorId: 1, status: 1 })

export type PairingDoc = InferSchemaType<typeof pairingSchema>
export const pairingModel = (conn: Connection) => conn.model('Pairing', pairingSchema, 'pairings')
