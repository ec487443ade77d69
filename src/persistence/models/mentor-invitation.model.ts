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

/** One document per used invitation, keyed by its id: inserting it is the step of using a link that cannot succeed twice. */
const invitationClaimSchema = new Schema({ _id: { type: Schema.Types.ObjectId, required: true } }, { timestamps: { createdAt: true, updatedAt: false }, versionKey: false })

export const invitationClaimModel = (conn: Connection) => conn.model('MentorInvitationClaim', invitationClaimSchema, 'mentor_invitation_claims')
