import { Schema, type Connection, type InferSchemaType } from 'mongoose'

/** A person as one tenant (issuer, client id, deployment) knows them by `sub`. */
const userSchema = new Schema({
  issuer: { type: String, required: true },
  clientId: { type: String, required: true },
  deploymentId: { type: String, required: true },
  sub: { type: String, required: true },
  name: { type: String, default: '' },
  givenName: { type: String, default: '' },
  familyName: { type: String, default: '' },
  email: { type: String, default: '' },
  /** The zone the LMS last gave for them (a launch's custom `timezone` or OIDC `zoneinfo`); unset when it gave none. */
  timeZone: { type: String }
}, { timestamps: true })
userSchema.index({ issuer: 1, clientId: 1, deploymentId: 1, sub: 1 }, { unique: true })

export type UserDoc = InferSchemaType<typeof userSchema>
export const userModel = (conn: Connection) => conn.model('User', userSchema, 'users')
