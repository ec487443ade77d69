import { Schema, type Connection, type InferSchemaType } from 'mongoose'
import { SYNC_STATUSES, SYNC_TRIGGERS } from '../../domain/roster/ports'

export { SYNC_STATUSES, SYNC_TRIGGERS }

const countsSchema = new Schema({
  pages: { type: Number, default: 0 },
  listed: { type: Number, default: 0 },
  added: { type: Number, default: 0 },
  reactivated: { type: Number, default: 0 },
  dropped: { type: Number, default: 0 },
  skipped: { type: Number, default: 0 }
}, { _id: false })

/**
 * The roster sync state of one course: a lease (owner + expiry) so only one process syncs a course at a time and a
 * crashed one blocks nobody past the expiry, the progress of the running sync, and the outcome of the last one.
 */
const rosterSyncSchema = new Schema({
  courseId: { type: Schema.Types.ObjectId, required: true },
  leaseOwner: { type: String, default: null },
  leaseUntil: { type: Date, default: null },
  progress: {
    trigger: { type: String, enum: SYNC_TRIGGERS },
    startedAt: { type: Date },
    phase: { type: String, enum: ['fetching', 'applying'] },
    pages: { type: Number, default: 0 },
    pagesTotal: { type: Number },
    members: { type: Number, default: 0 }
  },
  lastSyncAt: { type: Date },
  lastSyncStatus: { type: String, enum: SYNC_STATUSES },
  lastSyncError: { type: String },
  lastTrigger: { type: String, enum: SYNC_TRIGGERS },
  counts: { type: countsSchema }
}, { timestamps: true })
rosterSyncSchema.index({ courseId: 1 }, { unique: true })

export type RosterSyncDoc = InferSchemaType<typeof rosterSyncSchema>
export const rosterSyncModel = (conn: Connection) => conn.model('RosterSync', rosterSyncSchema, 'roster_syncs')
