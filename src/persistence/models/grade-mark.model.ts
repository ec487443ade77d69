import { Schema, type Connection } from 'mongoose'

/**
 * A change that may move a course's scores and has not been recomputed yet. Marks are only inserted and deleted:
 * a recompute deletes exactly the marks it read before computing, so one noted meanwhile stays and the course is
 * computed again. (A counter or flag in one document loses concurrent updates on FerretDB.)
 */
const gradeMarkSchema = new Schema({
  _id: { type: String, required: true },
  courseId: { type: Schema.Types.ObjectId, required: true }
}, { timestamps: { createdAt: true, updatedAt: false }, versionKey: false })
gradeMarkSchema.index({ courseId: 1 })

export const gradeMarkModel = (conn: Connection) => conn.model('GradeMark', gradeMarkSchema, 'grade_marks')
