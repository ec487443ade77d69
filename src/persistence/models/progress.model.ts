import { Schema, type Connection } from 'mongoose'

/**
 * The progress read model (domain/progress): one document per course and student under `<courseId>:<studentUserId>`,
 * one summary per course under the course id, and one list of mentees per course and pool mentor under
 * `<courseId>:<mentorId>`. Pages read them by `_id`, the one lookup every server indexes.
 */
const studentProgressSchema = new Schema({
  _id: { type: String, required: true },
  courseId: { type: String, required: true },
  studentUserId: { type: String, required: true },
  /** { [recordId]: RecordEntry } */
  records: { type: Schema.Types.Mixed },
  /** { [tripId]: TripEntry } */
  trips: { type: Schema.Types.Mixed },
  /** The pool mentor the student is paired with, as a string id; null when unpaired. */
  mentorId: { type: String, default: null }
}, { minimize: false, versionKey: false })
studentProgressSchema.index({ courseId: 1 })

const courseProgressSchema = new Schema({
  _id: { type: String, required: true },
  /** { [studentUserId]: ProgressSummary } */
  students: { type: Schema.Types.Mixed },
  /** { [studentUserId]: mentorId } for every paired student */
  pairs: { type: Schema.Types.Mixed },
  /** { [userId]: role } for every active member */
  members: { type: Schema.Types.Mixed },
  builtAt: { type: Date, required: true }
}, { minimize: false, versionKey: false })

const mentorMenteesSchema = new Schema({
  _id: { type: String, required: true },
  courseId: { type: String, required: true },
  mentorId: { type: String, required: true },
  /** { [studentUserId]: MenteeLine } */
  mentees: { type: Schema.Types.Mixed }
}, { minimize: false, versionKey: false })
mentorMenteesSchema.index({ courseId: 1 })

export const mentorMenteesModel = (conn: Connection) => conn.model('MentorMentees', mentorMenteesSchema, 'progress_mentors')
export const studentProgressModel = (conn: Connection) => conn.model('StudentProgress', studentProgressSchema, 'progress')
export const courseProgressModel = (conn: Connection) => conn.model('CourseProgress', courseProgressSchema, 'progress_courses')
