import { Schema, type Connection, type InferSchemaType } from 'mongoose'
import { GOAL_HORIZONS, GOAL_STATUSES } from '../../domain/activities/vocabulary'
import { studentRecordFields, studentRecordIndex } from './student-record.fields'

const progressSchema = new Schema({
  date: { type: Date, required: true },
  note: { type: String, required: true },
  status: { type: String, enum: GOAL_STATUSES },
  by: { type: Schema.Types.ObjectId, required: true },
  at: { type: Date, required: true }
}, { _id: false })

/** A student's short- or long-term goal and its dated progress updates. */
const goalSchema = new Schema({
  ...studentRecordFields,
  horizon: { type: String, enum: GOAL_HORIZONS, required: true },
  text: { type: String, required: true },
  targetDate: { type: Date, required: true },
  status: { type: String, enum: GOAL_STATUSES, required: true },
  progress: { type: [progressSchema], default: [] }
}, { timestamps: true })
goalSchema.index(studentRecordIndex)

export type GoalDoc = InferSchemaType<typeof goalSchema>
export const goalModel = (conn: Connection) => conn.model('Goal', goalSchema, 'goals')
