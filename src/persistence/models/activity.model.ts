import { Schema, type Connection, type InferSchemaType } from 'mongoose'
import { ACTIVITY_KINDS, COACHING_SKILLS, VERIFICATION_STATUSES } from '../../domain/activities/vocabulary'
import { studentRecordFields, studentRecordIndex } from './student-record.fields'

/** A dated activity of a student: a 1:1 session, skills coaching or an observed meeting, with its verification. */
const activitySchema = new Schema({
  ...studentRecordFields,
  kind: { type: String, enum: ACTIVITY_KINDS, required: true },
  date: { type: Date, required: true },
  durationMinutes: { type: Number },
  topics: { type: [String], default: undefined },
  notes: { type: String },
  skill: { type: String, enum: COACHING_SKILLS },
  practised: { type: String },
  organisation: { type: String },
  reflection: { type: String },
  status: { type: String, enum: VERIFICATION_STATUSES, required: true },
  review: {
    type: new Schema({ by: Schema.Types.ObjectId, at: Date, comment: { type: String, default: '' } }, { _id: false }),
    default: null
  }
}, { timestamps: true })
activitySchema.index(studentRecordIndex)
activitySchema.index({ courseId: 1, status: 1 })

export type ActivityDoc = InferSchemaType<typeof activitySchema>
export const activityModel = (conn: Connection) => conn.model('Activity', activitySchema, 'activities')
