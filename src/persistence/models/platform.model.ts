import { Schema, type Connection, type InferSchemaType } from 'mongoose'

/** A platform (LMS) registration: keyed by issuer and client id, since hosted Canvas shares one issuer. */
const platformSchema = new Schema({
  issuer: { type: String, required: true },
  clientId: { type: String, required: true },
  name: { type: String, required: true },
  authEndpoint: { type: String, required: true },
  tokenEndpoint: { type: String, required: true },
  jwksUrl: { type: String, required: true },
  authorizationServer: { type: String },
  deploymentIds: { type: [String], default: [] },
  toolKid: { type: String }
}, { timestamps: true })
platformSchema.index({ issuer: 1, clientId: 1 }, { unique: true })

export type PlatformDoc = InferSchemaType<typeof platformSchema>
export const platformModel = (conn: Connection) => conn.model('Platform', platformSchema, 'platform_registrations')
