import { Schema, type Connection } from 'mongoose'

/**
 * One OIDC login: the state (its `_id`, the one lookup every server indexes) and nonce we issued, consumed exactly
 * once by the launch, then swept when expired.
 */
const oidcLoginSchema = new Schema({
  _id: { type: String, required: true },
  nonce: { type: String, required: true },
  issuer: { type: String, required: true },
  clientId: { type: String, required: true },
  targetLinkUri: { type: String, required: true },
  expiresAt: { type: Date, required: true },
  /** The platform's `lti_storage_target` when it offered LTI Platform Storage for this login. */
  storageTarget: { type: String },
  /** Set once, when a launch consumes the login: how the state was bound to the browser, if it was. */
  usedAt: { type: Date },
  binding: { type: String, enum: ['cookie', 'platform-storage'] }
}, { timestamps: { createdAt: true, updatedAt: false } })

export const oidcLoginModel = (conn: Connection) => conn.model('OidcLogin', oidcLoginSchema, 'oidc_logins')
