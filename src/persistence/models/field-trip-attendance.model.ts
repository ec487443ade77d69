import { Schema, type Connection, type InferSchemaType } from 'mongoose'
import { ATTENDANCE_STATUSES } from '../../domain/activities/vocabulary'

/** Whether one invited student attended one field trip; one row per trip and student. */
const attendanceSchema = new Schema({
  courseId: { type: Schema.Types.ObjectId, required: true },
  fieldTripId: { type: Schema.Types.ObjectId, required: true },
  studentUserId: { type: Schema.Types.ObjectId, required: true },
  status: { type: String, enum: ATTENDANCE_STATUSES, required: true },
  via: { type: String, enum: ['checklist', 'check-in'], required: true },
  recordedBy: { type: Schema.Types.ObjectId, required: true },
  recordedAt: { type: Date, required: true }
}, { timestamps: true })
attendanceSchema.index({ fieldTripId: 1, studentUserId: 1 }, { unique: true })
attendanceSchema.index({ courseId: 1, studentUserId: 1 })

export type AttendanceDoc = InferSchemaType<typeof attendanceSchema>
export const attendanceModel = (conn: Connection) => conn.model('FieldTripAttendance', attendanceSchema, 'field_trip_attendance')
