import { Schema, type Connection, type InferSchemaType } from 'mongoose'

/**
 * One document per outbox lane: who holds it and until when (a killed worker's claim returns when `until` passes),
 * and `stamp`, the score timestamp of the latest claim. Each claim's stamp is later than the one before, so every
 * (line item, student), which always falls in the same lane, is sent with strictly increasing timestamps.
 */
const gradeLaneSchema = new Schema({
  _id: { type: Number, required: true },
  token: { type: String, default: null },
  until: { type: Date, default: null },
  stamp: { type: Date, required: true }
}, { versionKey: false })

export type GradeLaneDoc = InferSchemaType<typeof gradeLaneSchema>
export const gradeLaneModel = (conn: Connection) => conn.model('GradeLane', gradeLaneSchema, 'grade_lanes')
