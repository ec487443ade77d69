import { Schema, type Connection } from 'mongoose'

/**
 * The progress read model (domain/progress): one document per course and student under `<courseId>:<studentUserId>`,
 * and one summary per course under the course id. Pages read them by `_id`, the one lookup every server indexes.
 */
const studentProgressSchema = new Schema({
  _id: { type: String, required: true },
  courseId: { type: String, required: true },
  studentUserId: { type: String, required: true },
  /** { [recordId]: RecordEntry } */
  records: { type: Schema.Types.Mixed },
  /** { [tripId]: TripEntry } */
  trips: { type: Schema.Types.Mixed }
}, { minimize: false, versionKey: false })
studentProgressSchema.index({ courseId: 1 })

const courseProgressSchema = new Schema({
  _id: { type: String, required: true },
  /** { [studentUserId]: ProgressSummary } */
  students: { type: Schema.Types.Mixed },
  builtAt: { type: Date, required: true }
}, { minimize: false, versionKey: false })

export const studentProgressModel = (conn: Connection) => conn.model('StudentProgress', studentProgressSchema, 'progress')
export const courseProgressModel = (conn: Connection) => conn.model('CourseProgress', courseProgressSchema, 'progress_courses')
