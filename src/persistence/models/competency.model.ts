import { Schema, type Connection, type InferSchemaType } from 'mongoose'
import { POINT_KEYS, SIDES } from '../../domain/competencies/vocabulary'

const competencySchema = new Schema({
  key: { type: String, required: true },
  name: { type: String, required: true },
  description: { type: String, required: true },
  levels: { type: [String], required: true }
}, { _id: false })

/**
 * One revision of a course's competency framework, `_id` `<courseId>:<revision>`: a change inserts the next
 * revision, so two writers of the same revision cannot both succeed (the unique `_id` settles it on FerretDB as on
 * MongoDB). The first assessment inserts a last revision marked `locked`.
 */
const frameworkRevisionSchema = new Schema({
  _id: { type: String, required: true },
  courseId: { type: Schema.Types.ObjectId, required: true },
  revision: { type: Number, required: true },
  competencies: { type: [competencySchema], required: true },
  locked: { type: Boolean, default: false },
  byUserId: { type: Schema.Types.ObjectId },
  at: { type: Date, required: true },
  copiedFrom: { type: Schema.Types.ObjectId }
}, { versionKey: false })
frameworkRevisionSchema.index({ courseId: 1, revision: -1 })

const ratingSchema = new Schema({
  competency: { type: String, required: true },
  level: { type: Number, required: true, min: 1, max: 5 },
  comment: { type: String, default: '' }
}, { _id: false })

/**
 * A submitted assessment, `_id` `<courseId>:<studentUserId>:<point>:<side>`: one per student, point and side,
 * final once inserted.
 */
const assessmentSchema = new Schema({
  _id: { type: String, required: true },
  courseId: { type: Schema.Types.ObjectId, required: true },
  studentUserId: { type: Schema.Types.ObjectId, required: true },
  point: { type: String, enum: POINT_KEYS, required: true },
  side: { type: String, enum: SIDES, required: true },
  byUserId: { type: Schema.Types.ObjectId, required: true },
  ratings: { type: [ratingSchema], required: true },
  frameworkRevision: { type: Number, required: true },
  submittedAt: { type: Date, required: true },
  late: { type: Boolean, default: false }
}, { versionKey: false })
assessmentSchema.index({ courseId: 1, studentUserId: 1 })

export type FrameworkRevisionDoc = InferSchemaType<typeof frameworkRevisionSchema>
export type AssessmentDoc = InferSchemaType<typeof assessmentSchema>
export const frameworkRevisionModel = (conn: Connection) => conn.model('FrameworkRevision', frameworkRevisionSchema, 'competency_frameworks')
export const assessmentModel = (conn: Connection) => conn.model('Assessment', assessmentSchema, 'assessments')
