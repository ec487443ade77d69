import type { Models } from './database'
import { retryWhenBusy } from './busy'
import { isDuplicateKey } from './duplicate-key'

/** Claims `key` for good (until `expiresAt`, when the sweeper may forget it); false if it was claimed before. */
export async function claimOnce ({ singleUseClaims }: Pick<Models, 'singleUseClaims'>, key: string, expiresAt: Date, detail?: Record<string, unknown>): Promise<boolean> {
  try {
    await retryWhenBusy(async () => await singleUseClaims.create({ _id: key, expiresAt, ...(detail ? { detail } : {}) }))
    return true
  } catch (err) {
    if (isDuplicateKey(err)) return false
    throw err
  }
}
