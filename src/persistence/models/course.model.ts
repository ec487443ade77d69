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
  lastLaunchAt: { type: Date }
}, { timestamps: true })
courseSchema.index({ issuer: 1, clientId: 1, deploymentId: 1, contextId: 1 }, { unique: true })

export type CourseDoc = InferSchemaType<typeof courseSchema>
export const courseModel = (conn: Connection) => conn.model('Course', courseSchema, 'courses')
