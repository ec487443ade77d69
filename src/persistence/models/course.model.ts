import { Schema, type Connection, type InferSchemaType } from 'mongoose'

/**
 * A course (LTI context) of one tenant. The service URLs are kept here because ltijs's launch records expire
 * after a day, and roster sync and grade passback run long after the last launch.
 */
const courseSchema = new Schema({
  issuer: { type: String, required: true },
  clientId: { type: String, required: true },
  deploymentId: { type: String, required: true },
  contextId: { type: String, required: true },
  title: { type: String, default: '' },
  label: { type: String, default: '' },
  membershipsUrl: { type: String },
  lineItemsUrl: { type: String },
  lineItemUrl: { type: String },
  agsScopes: { type: [String], default: [] },
  custom: { type: Schema.Types.Mixed, default: {} },
  lastLaunchAt: { type: Date },
  /** When the last roster sync ended (either way), copied from roster_syncs so a launch knows without reading it. */
  rosterSyncedAt: { type: Date },
  /** The mentor pool this course uses; set when an instructor first opens the pool, possibly shared with other courses. */
  poolId: { type: Schema.Types.ObjectId },
  /**
   * The term as the instructor set it: { start?, end?: 'YYYY-MM-DD', milestones: [{ title, date }] }, validated by
   * domain/term; dates the LMS sends in `custom` win. Mixed, so lean and hydrated course types stay assignable.
   */
  term: { type: Schema.Types.Mixed, default: undefined }
}, { timestamps: true })
courseSchema.index({ issuer: 1, clientId: 1, deploymentId: 1, contextId: 1 }, { unique: true })

export type CourseDoc = InferSchemaType<typeof courseSchema>
export const courseModel = (conn: Connection) => conn.model('Course', courseSchema, 'courses')
