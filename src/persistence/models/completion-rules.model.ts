import { Schema, type Connection, type InferSchemaType } from 'mongoose'
import { RUNNING_SCORES } from '../../domain/completion/vocabulary'

/**
 * A course's completion rules as its instructor saved them (validated by domain/completion/rules). Until a course
 * has a saved document, the defaults apply to progress pages and no grades are sent.
 */
const completionRulesSchema = new Schema({
  courseId: { type: Schema.Types.ObjectId, required: true },
  /** { [requirement]: { need, points } }; Mixed, so the catalogue can grow without a migration. */
  requirements: { type: Schema.Types.Mixed, required: true },
  partialCredit: { type: Boolean, required: true },
  runningScores: { type: String, enum: RUNNING_SCORES, required: true },
  updatedBy: { type: Schema.Types.ObjectId }
}, { timestamps: true, minimize: false })
completionRulesSchema.index({ courseId: 1 }, { unique: true })

export type CompletionRulesDoc = InferSchemaType<typeof completionRulesSchema>
export const completionRulesModel = (conn: Connection) => conn.model('CompletionRules', completionRulesSchema, 'completion_rules')
