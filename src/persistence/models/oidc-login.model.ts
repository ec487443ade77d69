import { Schema, type Connection } from 'mongoose'

/**
 * One OIDC login under way: the state (its `_id`, the one lookup every server indexes) and nonce we issued. The launch
 * deletes it as it uses it up (its single-use claim keeps how it was bound); the sweeper deletes those left expired.
 */
const oidcLoginSchema = new Schema({
  _id: { type: String, required: true },
  nonce: { type: String, required: true },
  issuer: { type: String, required: true },
  clientId: { type: String, required: true },
  targetLinkUri: { type: String, required: true },
  expiresAt: { type: Date, required: true },
  /** The platform's `lti_storage_target` when it offered LTI Platform Storage for this login. */
  storageTarget: { type: String }
}, { timestamps: { createdAt: true, updatedAt: false } })

export const oidcLoginModel = (conn: Connection) => conn.model('OidcLogin', oidcLoginSchema, 'oidc_logins')
