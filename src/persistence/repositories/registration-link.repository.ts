import { randomUUID } from 'node:crypto'
import type { Models } from '../database'
import { createLeases } from '../leases'
import { claimOnce } from '../single-use'

/** Long enough for a registration (the LMS's page, a few calls back to it); a crashed one frees the link after it. */
const CLAIM_MS = 10 * 60 * 1000
/** Failure records outlive their link by this much, so a link can never be tried more often than allowed. */
const FAILURE_MARGIN_MS = 60 * 60 * 1000

const failureKey = (tokenHash: string, attempt: number): string => `registration-link-failure:${tokenHash}:${attempt}`

/**
 * One-time registration links by token hash: held while a registration runs (a `leases` term, so two
 * registrations never share one, on MongoDB and FerretDB alike), deleted once it succeeded, free again if it failed,
 * until `maxFailures` attempts failed. Each failure is a unique insert of its number (`single_use_claims`), so
 * failures recorded at once (a lease that ran out under a slow attempt, several processes) each get their own.
 */
export function createRegistrationLinkRepository ({ registrationLinks, leases: leaseModel, singleUseClaims }: Pick<Models, 'registrationLinks' | 'leases' | 'singleUseClaims'>, maxFailures = 5) {
  const leases = createLeases({ leases: leaseModel })
  /** This process's claims: the lease owner and the link's expiry per link. */
  const owners = new Map<string, { owner: string, expiresAt: Date }>()
  const release = async (tokenHash: string): Promise<void> => {
    const held = owners.get(tokenHash)
    owners.delete(tokenHash)
    if (held !== undefined) await leases.release(held.owner)
  }
  return {
    maxFailures,
    create: async (tokenHash: string, expiresAt: Date): Promise<void> => { await registrationLinks.create({ tokenHash, expiresAt }) },
    /** Claims an unexpired link nobody is registering with and whose attempts are not used up. */
    claim: async (tokenHash: string): Promise<boolean> => {
      const link = await registrationLinks.findOne({ tokenHash, expiresAt: { $gt: new Date() } }, { expiresAt: 1 }).lean()
      if (link === null || await singleUseClaims.exists({ _id: failureKey(tokenHash, maxFailures) }) !== null) return false
      const owner = randomUUID()
      if (await leases.acquire(`registration-link:${tokenHash}`, owner, CLAIM_MS) === null) return false
      owners.set(tokenHash, { owner, expiresAt: link.expiresAt })
      return true
    },
    /**
     * Counts a failed attempt and frees the link for another; answers how many attempts are left. The last allowed
     * failure uses the link up.
     */
    fail: async (tokenHash: string): Promise<number> => {
      const expiresAt = new Date((owners.get(tokenHash)?.expiresAt.getTime() ?? Date.now()) + FAILURE_MARGIN_MS)
      let left = 0
      for (let attempt = 1; attempt <= maxFailures; attempt++) {
        if (await claimOnce({ singleUseClaims }, failureKey(tokenHash, attempt), expiresAt)) {
          left = maxFailures - attempt
          break
        }
      }
      if (left === 0) await registrationLinks.deleteOne({ tokenHash })
      await release(tokenHash)
      return left
    },
    remove: async (tokenHash: string): Promise<void> => {
      await registrationLinks.deleteOne({ tokenHash })
      await release(tokenHash)
    }
  }
}

export type RegistrationLinkRepository = ReturnType<typeof createRegistrationLinkRepository>
