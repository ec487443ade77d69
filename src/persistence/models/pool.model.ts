import { Schema, type Connection, type InferSchemaType } from 'mongoose'

/**
 * A mentor pool, owned by a tenant (issuer, client id, deployment) rather than by one course: courses point at it
 * through `Course.poolId`, so instructors can reuse a pool across the courses they teach on the same platform.
 */
const poolSchema = new Schema({
  issuer: { type: String, required: true },
  clientId: { type: String, required: true },
  deploymentId: { type: String, required: true },
  name: { type: String, default: '' },
  ownerCourseId: { type: Schema.Types.ObjectId, required: true },
  /** LMS users with the Mentor role the instructors chose not to add (Canvas sends parents and observers as Mentor). */
  dismissedUserIds: { type: [Schema.Types.ObjectId], default: [] }
}, { timestamps: true })
poolSchema.index({ issuer: 1, clientId: 1, deploymentId: 1 })
/** A course creates at most one pool of its own, so concurrent first visits agree on it. */
poolSchema.index({ ownerCourseId: 1 }, { unique: true })

export type PoolDoc = InferSchemaType<typeof poolSchema>
export const poolModel = (conn: Connection) => conn.model('Pool', poolSchema, 'pools')
