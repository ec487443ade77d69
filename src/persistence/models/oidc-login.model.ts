import { Schema, type Connection } from 'mongoose'

/** One OIDC login in flight: the state and nonce we issued, consumed exactly once by the launch. */
const oidcLoginSchema = new Schema({
  state: { type: String, required: true },
  nonce: { type: String, required: true },
  issuer: { type: String, required: true },
  clientId: { type: String, required: true },
  targetLinkUri: { type: String, required: true },
  expiresAt: { type: Date, required: true }
}, { timestamps: { createdAt: true, updatedAt: false } })
oidcLoginSchema.index({ state: 1 }, { unique: true })
oidcLoginSchema.index({ expiresAt: 1 })

export const oidcLoginModel = (conn: Connection) => conn.model('OidcLogin', oidcLoginSchema, 'oidc_logins')
