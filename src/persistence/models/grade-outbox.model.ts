import { Schema, type Connection, type InferSchemaType } from 'mongoose'

export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const
export type OutboxStatus = typeof OUTBOX_STATUSES[number]

/** Claims take one lane at a time, so a worker claims and finishes a batch with one write each. */
export const OUTBOX_LANES = 16

const scoreBodySchema = new Schema({
  scoreGiven: { type: Number },
  scoreMaximum: { type: Number, required: true },
  activityProgress: { type: String, required: true },
  gradingProgress: { type: String, required: true },
  comment: { type: String, default: '' }
}, { _id: false })

/**
 * The durable grade outbox: one record per (line item, student), holding the newest score to send. A new score
 * replaces the body and bumps `version`, and clears any claim, so a worker still sending the old one cannot mark
 * the new one sent. `lastTimestamp` is the score timestamp of the latest attempt: the next attempt's is later.
 */
const gradeOutboxSchema = new Schema({
  /** A hash of line item URL and user sub (repositories/grade-outbox.repository.ts). */
  _id: { type: String, required: true },
  courseId: { type: Schema.Types.ObjectId, required: true },
  issuer: { type: String, required: true },
  clientId: { type: String, required: true },
  lineItemUrl: { type: String, required: true },
  userId: { type: Schema.Types.ObjectId, required: true },
  userSub: { type: String, required: true },
  body: { type: scoreBodySchema, required: true },
  version: { type: Number, default: 1 },
  status: { type: String, enum: OUTBOX_STATUSES, default: 'pending' },
  lane: { type: Number, default: 0 },
  attempts: { type: Number, default: 0 },
  nextAttemptAt: { type: Date, required: true },
  claimToken: { type: String, default: null },
  leaseUntil: { type: Date, default: null },
  lastTimestamp: { type: Date, default: null },
  sentAt: { type: Date, default: null },
  lastError: { type: String, default: null },
  lastErrorAt: { type: Date, default: null },
  lastStatusCode: { type: Number, default: null }
}, { timestamps: true })
gradeOutboxSchema.index({ status: 1, lane: 1, nextAttemptAt: 1 })
gradeOutboxSchema.index({ claimToken: 1 })
gradeOutboxSchema.index({ courseId: 1, userId: 1 })

export type GradeOutboxDoc = InferSchemaType<typeof gradeOutboxSchema>
export const gradeOutboxModel = (conn: Connection) => conn.model('GradeOutbox', gradeOutboxSchema, 'grade_outbox')
