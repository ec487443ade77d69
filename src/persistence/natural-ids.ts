import { createHash } from 'node:crypto'
import { Types, type Model } from 'mongoose'
import { retryWhenBusy } from './busy'
import { isDuplicateKey, retryOnDuplicateKey } from './duplicate-key'

/**
 * `_id`s derived from what identifies a document (a user by platform and subject, a membership by course and user),
 * so a launch finds and upserts them by `_id`: the one lookup the embedded FerretDB answers from its index, where a
 * filter on the other fields reads the whole collection. Documents made before carry random ids and are still found.
 */
const derived = (...parts: string[]): Types.ObjectId =>
  new Types.ObjectId(createHash('sha256').update(JSON.stringify(parts)).digest().subarray(0, 12))

export const userIdOf = (tenant: { issuer: string, clientId: string, deploymentId: string }, sub: string): Types.ObjectId =>
  derived('user', tenant.issuer, tenant.clientId, tenant.deploymentId, sub)

export const membershipIdOf = (courseId: Types.ObjectId | string, userId: Types.ObjectId | string): Types.ObjectId =>
  derived('membership', String(courseId), String(userId))

/**
 * Upserts the document `natural` identifies under its derived `_id`. One made before ids were derived makes that
 * insert a duplicate of `natural`'s unique index: it is then found by `natural` (a scan on the embedded database).
 * `returnNew: false` answers the document as it was before (null when there was none). Not a claim: two upserts at
 * once both write the same facts about the same person, and whatever is told of the "before" document (a member who
 * joined) is idempotent downstream; claims, leases and compare-and-set are unique inserts (`leases.ts`, `single-use.ts`).
 */
export async function upsertByDerivedId<T> (
  model: Model<any>, // eslint-disable-line @typescript-eslint/no-explicit-any -- any schema's model
  _id: Types.ObjectId,
  natural: Record<string, unknown>,
  set: Record<string, unknown>,
  returnNew: boolean
): Promise<T | null> {
  const options = { upsert: true, new: returnNew, setDefaultsOnInsert: true } as const
  try {
    return await retryWhenBusy(async () => await model.findOneAndUpdate({ _id }, { $set: set, $setOnInsert: natural }, options).lean<T>())
  } catch (err) {
    if (!isDuplicateKey(err)) throw err
    return await retryOnDuplicateKey(async () => await model.findOneAndUpdate(natural, { $set: set }, options).lean<T>())
  }
}
