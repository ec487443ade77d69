import { Schema, type Connection, type InferSchemaType } from 'mongoose'

/**
 * A single-use sign-in link for an external mentor. Only the SHA-256 of the token is kept, so a database leak
 * yields no working link. Used, revoked and expired invitations stay, to tell their holder why the link fails.
 */
const mentorInvitationSchema = new Schema({
  tokenHash: { type: String, required: true },
  poolId: { type: Schema.Types.ObjectId, required: true },
  mentorId: { type: Schema.Types.ObjectId, required: true },
  /** The course the link signs into; a pool may serve several. */
  courseId: { type: Schema.Types.ObjectId, required: true },
  createdBy: { type: Schema.Types.ObjectId, required: true },
  expiresAt: { type: Date, required: true },
  usedAt: { type: Date },
  revokedAt: { type: Date }
}, { timestamps: { createdAt: true, updatedAt: false } })
mentorInvitationSchema.index({ tokenHash: 1 }, { unique: true })
mentorInvitationSchema.index({ mentorId: 1, createdAt: -1 })

export type MentorInvitationDoc = InferSchemaType<typeof mentorInvitationSchema>
export const mentorInvitationModel = (conn: Connection) => conn.model('MentorInvitation', mentorInvitationSchema, 'mentor_invitations')
