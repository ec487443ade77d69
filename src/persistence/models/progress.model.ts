import { Schema, type Connection } from 'mongoose'

/**
 * The progress read model (domain/progress): one document per course and student under `<courseId>:<studentUserId>`,
 * the course table in buckets under `<courseId>:rows:<bucket>`, the pool mentors' lists of mentees in buckets under
 * `<courseId>:mentees:<bucket>`, and a marker per course under the course id. Pages read them by `_id`, the one lookup
 * every server indexes.
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

/** Marks a course's read model built, with its table's totals per bucket. */
const courseProgressSchema = new Schema({
  _id: { type: String, required: true },
  builtAt: { type: Date, required: true },
  /** Which layout of the read model the course was built in (see progress.repository.ts). */
  layout: { type: Number },
  /** { [bucket]: CourseTotals } */
  totals: { type: Schema.Types.Mixed }
}, { versionKey: false })

/**
 * The course table in buckets (`<courseId>:<bucket>`), each holding its rows as one gzipped JSON value: FerretDB reads
 * and updates a document at a cost that grows with its fields and its bytes, so 2,000 rows as nested documents took
 * 370 ms to read and 450 ms to update one field, and as one string 58 ms and 45 ms; gzipped, a fifth of the bytes.
 * Buckets keep each update small.
 */
const courseRowsSchema = new Schema({
  _id: { type: String, required: true },
  courseId: { type: String, required: true },
  /** Gzipped JSON of { [userId]: TableRow } */
  rowsGz: { type: Buffer, required: true }
}, { versionKey: false })
courseRowsSchema.index({ courseId: 1 })

/** The pool mentors' lists of mentees in buckets by mentor (`<courseId>:mentees:<bucket>`), gzipped like the table. */
const mentorMenteesSchema = new Schema({
  _id: { type: String, required: true },
  courseId: { type: String, required: true },
  /** Gzipped JSON of { [mentorId]: { [studentUserId]: MenteeLine } } */
  listsGz: { type: Buffer, required: true }
}, { versionKey: false })
mentorMenteesSchema.index({ courseId: 1 })

export const mentorMenteesModel = (conn: Connection) => conn.model('MentorMentees', mentorMenteesSchema, 'progress_mentors')
export const studentProgressModel = (conn: Connection) => conn.model('StudentProgress', studentProgressSchema, 'progress')
export const courseProgressModel = (conn: Connection) => conn.model('CourseProgress', courseProgressSchema, 'progress_courses')
export const courseRowsModel = (conn: Connection) => conn.model('CourseRows', courseRowsSchema, 'progress_rows')
