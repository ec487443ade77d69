import type { Models } from '../database'

export interface PendingLogin { state: string, nonce: string, issuer: string, clientId: string, targetLinkUri: string, expiresAt: Date }

export function createLoginRepository ({ oidcLogins }: Pick<Models, 'oidcLogins'>) {
  return {
    save: async (login: PendingLogin): Promise<void> => { await oidcLogins.create(login) },
    /** Takes the login out atomically, so a state (and its nonce) can be used by one launch only. */
    consume: async (state: string): Promise<PendingLogin | null> =>
      await oidcLogins.findOneAndDelete({ state, expiresAt: { $gt: new Date() } }).lean()
  }
}

export type LoginRepository = ReturnType<typeof createLoginRepository>
