import { Schema, type Connection } from 'mongoose'

/**
 * What a deep linking launch asked for, kept server side until the instructor answers it: keyed by a hash of the
 * launch's session token, so only that session can answer it, and only once.
 */
const deepLinkRequestSchema = new Schema({
  sessionHash: { type: String, required: true },
  issuer: { type: String, required: true },
  clientId: { type: String, required: true },
  deploymentId: { type: String, required: true },
  returnUrl: { type: String, required: true },
  /** The platform's opaque `data`, echoed back exactly; absent when the request had none. */
  data: { type: String },
  acceptTypes: { type: [String], default: [] },
  expiresAt: { type: Date, required: true }
}, { timestamps: { createdAt: true, updatedAt: false } })
deepLinkRequestSchema.index({ sessionHash: 1 }, { unique: true })

export const deepLinkRequestModel = (conn: Connection) => conn.model('DeepLinkRequest', deepLinkRequestSchema, 'deep_link_requests')
