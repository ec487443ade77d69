import { Schema, type Connection, type InferSchemaType } from 'mongoose'
import { COURSE_ROLES } from './membership.model'

/** One change to the mentoring record: who did what, when, and the entry before and after. Never updated. */
const auditEntrySchema = new Schema({
  courseId: { type: Schema.Types.ObjectId, required: true },
  entity: { type: String, required: true },
  entityId: { type: Schema.Types.ObjectId, required: true },
  action: { type: String, required: true },
  actorUserId: { type: Schema.Types.ObjectId, required: true },
  actorRole: { type: String, enum: COURSE_ROLES, required: true },
  at: { type: Date, required: true },
  before: { type: Schema.Types.Mixed, default: null },
  after: { type: Schema.Types.Mixed, default: null }
}, { versionKey: false })
auditEntrySchema.index({ courseId: 1, entity: 1, entityId: 1, at: 1 })

export type AuditEntryDoc = InferSchemaType<typeof auditEntrySchema>
export const auditEntryModel = (conn: Connection) => conn.model('AuditEntry', auditEntrySchema, 'audit_entries')
