import { Schema, type Connection, type InferSchemaType } from 'mongoose'

export const LINE_ITEM_SOURCES = ['launch', 'found', 'created'] as const

/**
 * A course's grade passback state. The line item scores go to, kept here because the launch that named it may be
 * long gone, with the claim that lets only one process create it. And the recompute flag: `dirtySeq` grows on
 * every change that may move a score; a recompute holding the lease clears `dirty` only if no change came meanwhile.
 */
const gradeSyncSchema = new Schema({
  courseId: { type: Schema.Types.ObjectId, required: true },
  resourceLinkId: { type: String, default: null },
  lineItemUrl: { type: String, default: null },
  lineItemSource: { type: String, enum: LINE_ITEM_SOURCES },
  lineItemOwner: { type: String, default: null },
  lineItemClaimUntil: { type: Date, default: null },
  lineItemError: { type: String, default: null },
  dirty: { type: Boolean, default: false },
  dirtySeq: { type: Number, default: 0 },
  recomputeOwner: { type: String, default: null },
  recomputeUntil: { type: Date, default: null },
  lastRecomputeAt: { type: Date, default: null },
  lastRecomputeError: { type: String, default: null }
}, { timestamps: true })
gradeSyncSchema.index({ courseId: 1 }, { unique: true })
gradeSyncSchema.index({ dirty: 1 })

export type GradeSyncDoc = InferSchemaType<typeof gradeSyncSchema>
export const gradeSyncModel = (conn: Connection) => conn.model('GradeSync', gradeSyncSchema, 'grade_syncs')
