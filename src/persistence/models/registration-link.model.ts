import { Schema, type Connection } from 'mongoose'

/**
 * A one-time link that lets an admin start LTI Dynamic Registration. Only a SHA-256 of its token is kept; a
 * registration in progress holds it (a `leases` term, repositories/registration-link.repository.ts), a finished one
 * deletes it, a failed one releases it for another try. (`claimedAt`, the claim of earlier versions, is not read.)
 */
const registrationLinkSchema = new Schema({
  tokenHash: { type: String, required: true },
  expiresAt: { type: Date, required: true },
  claimedAt: { type: Date, select: false }
}, { timestamps: { createdAt: true, updatedAt: false } })
registrationLinkSchema.index({ tokenHash: 1 }, { unique: true })

export const registrationLinkModel = (conn: Connection) => conn.model('RegistrationLink', registrationLinkSchema, 'registration_links')
