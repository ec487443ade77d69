import { randomUUID } from 'node:crypto'
import type { Models } from '../database'
import { createLeases } from '../leases'

/** Long enough for a registration (the LMS's page, a few calls back to it); a crashed one frees the link after it. */
const CLAIM_MS = 10 * 60 * 1000

/**
 * One-time registration links by token hash: held while a registration runs (a `leases` term, so two
 * registrations never share one, on MongoDB and FerretDB alike), deleted once it succeeded, free again if it failed.
 */
export function createRegistrationLinkRepository ({ registrationLinks, leases: leaseModel }: Pick<Models, 'registrationLinks' | 'leases'>) {
  const leases = createLeases({ leases: leaseModel })
  /** This process's claims: the lease owner per link. */
  const owners = new Map<string, string>()
  const release = async (tokenHash: string): Promise<void> => {
    const owner = owners.get(tokenHash)
    owners.delete(tokenHash)
    if (owner !== undefined) await leases.release(owner)
  }
  return {
    create: async (tokenHash: string, expiresAt: Date): Promise<void> => { await registrationLinks.create({ tokenHash, expiresAt }) },
    /** Claims an unexpired link nobody is registering with. */
    claim: async (tokenHash: string): Promise<boolean> => {
      if (await registrationLinks.findOne({ tokenHash, expiresAt: { $gt: new Date() } }, { _id: 1 }).lean() === null) return false
      const owner = randomUUID()
      if (await leases.acquire(`registration-link:${tokenHash}`, owner, CLAIM_MS) === null) return false
      owners.set(tokenHash, owner)
      return true
    },
    release,
    remove: async (tokenHash: string): Promise<void> => {
      await registrationLinks.deleteOne({ tokenHash })
      await release(tokenHash)
    }
  }
}

export type RegistrationLinkRepository = ReturnType<typeof createRegistrationLinkRepository>
