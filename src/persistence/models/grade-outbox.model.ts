import { Schema, type Connection, type InferSchemaType } from 'mongoose'

/** A batch is 'pending' (to send at `nextAttemptAt`) or 'failed' (refused for good; sent again only on request). */
export const OUTBOX_STATUSES = ['pending', 'failed'] as const
export type OutboxStatus = typeof OUTBOX_STATUSES[number]

/**
 * Every (line item, student) belongs to one of these lanes, fixed by a hash; a worker claims a whole lane at a time.
 * Few lanes mean few, large batches, and each batch costs a constant number of database statements.
 */
export const OUTBOX_LANES = 4

export const scoreBodySchema = new Schema({
  scoreGiven: { type: Number },
  scoreMaximum: { type: Number, required: true },
  activityProgress: { type: String, required: true },
  gradingProgress: { type: String, required: true },
  comment: { type: String, default: '' }
}, { _id: false })

/** One score to send: which version of which (line item, student), and how its attempts went. */
const entrySchema = new Schema({
  /** A hash of line item URL and user sub (repositories/grade-outbox.repository.ts). */
  key: { type: String, required: true },
  version: { type: Number, required: true },
  userId: { type: Schema.Types.ObjectId, required: true },
  userSub: { type: String, required: true },
  body: { type: scoreBodySchema, required: true },
  attempts: { type: Number, default: 0 },
  lastError: { type: String, default: null },
  lastErrorAt: { type: Date, default: null },
  lastStatusCode: { type: Number, default: null }
}, { _id: false })

/**
 * The durable grade outbox: batches of scores waiting for one line item, in one lane, due at one time. Batches are
 * only inserted and deleted, never updated: a newer score is a new version in a new batch, retries and permanent
 * failures are copies in new batches. A worker sends only the newest version of each (line item, student) and
 * deletes a batch only once it has handled every entry in it, so a score enqueued meanwhile always stays.
 * ('sending' is derived from the lane claim, 'sent' from the grade result; see grade-lane and grade-result.)
 */
const gradeOutboxSchema = new Schema({
  _id: { type: String, required: true },
  lane: { type: Number, required: true },
  courseId: { type: Schema.Types.ObjectId, required: true },
  issuer: { type: String, required: true },
  clientId: { type: String, required: true },
  lineItemUrl: { type: String, required: true },
  status: { type: String, enum: OUTBOX_STATUSES, default: 'pending' },
  nextAttemptAt: { type: Date, required: true },
  entries: { type: [entrySchema], required: true }
}, { versionKey: false })
gradeOutboxSchema.index({ lane: 1, status: 1, nextAttemptAt: 1 })
gradeOutboxSchema.index({ courseId: 1, lineItemUrl: 1 })

export type GradeOutboxDoc = InferSchemaType<typeof gradeOutboxSchema>
export const gradeOutboxModel = (conn: Connection) => conn.model('GradeOutbox', gradeOutboxSchema, 'grade_outbox')
