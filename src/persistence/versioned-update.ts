import type { Models } from './database'
import { claimOnce } from './single-use'

/** Long enough to outlast any race between two editors of one version; a later edit of it finds `updatedAt` moved on. */
const VERSION_CLAIM_MS = 60 * 60 * 1000

/**
 * A compare-and-set on a document's `updatedAt`. FerretDB does not serialise a conditional update across connections
 * (two editors of one version could both win), so the first editor of a version claims it by a unique insert, then
 * updates (still conditionally, for MongoDB and for changes made without a claim); the others get null, "changed
 * meanwhile". A failed update gives its claim back, so the version can be edited again.
 */
export async function updateIfUnchanged<T> (models: Pick<Models, 'singleUseClaims'>, document: string, seenUpdatedAt: Date, update: () => Promise<T | null>): Promise<T | null> {
  const claim = `version:${document}:${seenUpdatedAt.getTime()}`
  if (!await claimOnce(models, claim, new Date(Date.now() + VERSION_CLAIM_MS))) return null
  try {
    return await update()
  } catch (err) {
    await models.singleUseClaims.deleteOne({ _id: claim }).catch(() => undefined)
    throw err
  }
}
