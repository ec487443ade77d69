import { Schema, type Connection, type InferSchemaType } from 'mongoose'
import { studentRecordFields, studentRecordIndex } from './student-record.fields'

/** A journal entry of a student, optionally about one of their activities. */
const reflectionSchema = new Schema({
  ...studentRecordFields,
  date: { type: Date, required: true },
  text: { type: String, required: true },
  activityId: { type: Schema.Types.ObjectId, default: null }
}, { timestamps: true })
reflectionSchema.index(studentRecordIndex)

export type ReflectionDoc = InferSchemaType<typeof reflectionSchema>
export const reflectionModel = (conn: Connection) => conn.model('Reflection', reflectionSchema, 'reflections')
