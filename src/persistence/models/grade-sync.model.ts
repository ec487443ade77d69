import { Schema, type Connection, type InferSchemaType } from 'mongoose'

export const LINE_ITEM_SOURCES = ['launch', 'found', 'created'] as const

/**
 * A course's grade passback state: the line item scores go to, kept here because the launch that named it may be
 * long gone, and how the last recompute went. Written only under the course's line item or recompute lease
 * (`leases`); changes waiting for a recompute are `grade_marks`. (Documents from earlier versions may still carry
 * `dirty`, `dirtySeq` and claim fields: nothing reads them.)
 */
const gradeSyncSchema = new Schema({
  courseId: { type: Schema.Types.ObjectId, required: true },
  resourceLinkId: { type: String, default: null },
  lineItemUrl: { type: String, default: null },
  lineItemSource: { type: String, enum: LINE_ITEM_SOURCES },
  lineItemError: { type: String, default: null },
  lastRecomputeAt: { type: Date, default: null },
  lastRecomputeError: { type: String, default: null },
  /** The last of the course's line items the LMS answered 404 for (deleted there), and when. */
  goneLineItemUrl: { type: String, default: null },
  goneLineItemAt: { type: Date, default: null }
}, { timestamps: true })
gradeSyncSchema.index({ courseId: 1 }, { unique: true })

export type GradeSyncDoc = InferSchemaType<typeof gradeSyncSchema>
export const gradeSyncModel = (conn: Connection) => conn.model('GradeSync', gradeSyncSchema, 'grade_syncs')
