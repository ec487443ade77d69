import { Schema, type Connection } from 'mongoose'

/**
 * What every grade worker sending to one platform (`<issuer>\n<client id>`, one developer key) shares: the pause a
 * refusal imposed and the interval allowed between any two sends of the fleet (domain/grading/platform-pacer.ts).
 * Last writer wins: a pace overwritten by another worker's is learned again at the next refusal.
 */
const platformPaceSchema = new Schema({
  _id: { type: String, required: true },
  pausedUntil: { type: Date, required: true },
  intervalMs: { type: Number, required: true }
}, { timestamps: { createdAt: false, updatedAt: true }, versionKey: false })

/** A grade worker that is sending, seen at `seenAt`: the pace is split between those seen lately. */
const gradeWorkerSchema = new Schema({
  _id: { type: String, required: true },
  seenAt: { type: Date, required: true }
}, { versionKey: false })

export const platformPaceModel = (conn: Connection) => conn.model('PlatformPace', platformPaceSchema, 'platform_paces')
export const gradeWorkerModel = (conn: Connection) => conn.model('GradeWorker', gradeWorkerSchema, 'grade_workers')
