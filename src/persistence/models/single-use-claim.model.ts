import { Schema, type Connection } from 'mongoose'

/**
 * One document per thing that may be used once (an OIDC state, an invitation link), keyed by a namespaced id.
 * Inserting it is the step that cannot succeed twice: FerretDB (SQLite) does not serialise findAndModify, so a
 * conditional update alone can let two concurrent requests through there; a unique _id settles it on both backends.
 */
const singleUseClaimSchema = new Schema({
  _id: { type: String, required: true },
  expiresAt: { type: Date, required: true },
  /** What the claim was for, kept for diagnosis (an OIDC state: its platform and how the state was bound to the browser). */
  detail: { type: Schema.Types.Mixed }
}, { timestamps: { createdAt: true, updatedAt: false }, versionKey: false })

export const singleUseClaimModel = (conn: Connection) => conn.model('SingleUseClaim', singleUseClaimSchema, 'single_use_claims')
