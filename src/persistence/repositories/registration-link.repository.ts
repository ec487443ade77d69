import type { Models } from '../database'

/** One-time registration links by token hash: claimed while a registration runs, deleted once it succeeded. */
export function createRegistrationLinkRepository ({ registrationLinks }: Pick<Models, 'registrationLinks'>) {
  return {
    create: async (tokenHash: string, expiresAt: Date): Promise<void> => { await registrationLinks.create({ tokenHash, expiresAt }) },
    /** Claims an unexpired, unclaimed link atomically, so two registrations never share one. */
    claim: async (tokenHash: string): Promise<boolean> =>
      (await registrationLinks.findOneAndUpdate(
        { tokenHash, expiresAt: { $gt: new Date() }, claimedAt: { $exists: false } },
        { $set: { claimedAt: new Date() } }
      )) !== null,
    release: async (tokenHash: string): Promise<void> => { await registrationLinks.updateOne({ tokenHash }, { $unset: { claimedAt: 1 } }) },
    remove: async (tokenHash: string): Promise<void> => { await registrationLinks.deleteOne({ tokenHash }) }
  }
}

export type RegistrationLinkRepository = ReturnType<typeof createRegistrationLinkRepository>
