import { Schema, type Connection } from 'mongoose'

/**
 * One term of a lease (`<name>#<term>`): its holder until `expiresAt`. A new term is taken by inserting the next
 * number, which only one contender can do on every server (a unique `_id`); FerretDB does not serialise conditional
 * updates, so a lease kept in one document could have several holders there. Terms are kept (few per lease a day),
 * so the latest can always be found by counting up from any term seen; `<name>#top` (written with `$max`, outside
 * this schema) says where another process starts counting.
 */
const leaseSchema = new Schema({
  _id: { type: String, required: true },
  owner: { type: String, required: true },
  expiresAt: { type: Date, required: true },
  /** Later than the previous term's start: work done under a term can be stamped with it and never go backwards. */
  startedAt: { type: Date },
  released: { type: Boolean, default: false }
}, { timestamps: { createdAt: true, updatedAt: false }, versionKey: false })

export const leaseModel = (conn: Connection) => conn.model('Lease', leaseSchema, 'leases')
