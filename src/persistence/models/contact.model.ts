import { Schema, type Connection, type InferSchemaType } from 'mongoose'
import { studentRecordFields, studentRecordIndex } from './student-record.fields'

/** A networking contact: private to the student and their mentor (instructors see only how many). */
const contactSchema = new Schema({
  ...studentRecordFields,
  name: { type: String, required: true },
  organisation: { type: String, default: '' },
  role: { type: String, default: '' },
  whereMet: { type: String, default: '' },
  followUp: { type: String, default: '' }
}, { timestamps: true })
contactSchema.index(studentRecordIndex)

export type ContactDoc = InferSchemaType<typeof contactSchema>
export const contactModel = (conn: Connection) => conn.model('Contact', contactSchema, 'contacts')
