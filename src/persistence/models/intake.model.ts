import { Schema, type Connection, type InferSchemaType } from 'mongoose'

/** What a student tells the instructor before pairing: interests, goals and, optionally, preferred mentors. */
const intakeSchema = new Schema({
  courseId: { type: Schema.Types.ObjectId, required: true },
  studentUserId: { type: Schema.Types.ObjectId, required: true },
  interests: { type: [String], default: [] },
  organisation: { type: String, default: '' },
  shortTermGoal: { type: String, default: '' },
  longTermGoal: { type: String, default: '' },
  /** Pool mentor ids, most preferred first. */
  ranking: { type: [Schema.Types.ObjectId], default: [] }
}, { timestamps: true })
intakeSchema.index({ courseId: 1, studentUserId: 1 }, { unique: true })

export type IntakeDoc = InferSchemaType<typeof intakeSchema>
export const intakeModel = (conn: Connection) => conn.model('Intake', intakeSchema, 'intakes')
