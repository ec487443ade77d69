import type { Models } from '../database'
import { claimOnce } from '../single-use'

export type StateBinding = 'cookie' | 'platform-storage'

export interface PendingLogin {
  state: string
  nonce: string
  issuer: string
  clientId: string
  targetLinkUri: string
  expiresAt: Date
  storageTarget?: string | null
}

export function createLoginRepository (models: Pick<Models, 'oidcLogins' | 'singleUseClaims'>) {
  const { oidcLogins } = models
  const unused = (state: string) => ({ state, expiresAt: { $gt: new Date() }, usedAt: { $exists: false } })
  // No projection on findOneAndUpdate: FerretDB does not implement it.
  const project = { _id: 0, __v: 0, createdAt: 0, usedAt: 0, binding: 0 }
  return {
    save: async (login: PendingLogin): Promise<void> => { await oidcLogins.create(login) },
    /** The login if it is still usable, without using it up. */
    find: async (state: string): Promise<PendingLogin | null> => await oidcLogins.findOne(unused(state), project).lean(),
    /**
     * Uses the login up atomically, so a state (and its nonce) serves one launch only, and records how the state
     * was bound to the browser (none when the launch is refused for that).
     */
    consume: async (state: string, binding?: StateBinding): Promise<PendingLogin | null> => {
      const login = await oidcLogins.findOneAndUpdate(unused(state), { $set: { usedAt: new Date(), ...(binding ? { binding } : {}) } }).lean()
      if (!login) return null
      return await claimOnce(models, `oidc-state:${state}`, login.expiresAt) ? login : null
    }
  }
}

export type LoginRepository = ReturnType<typeof createLoginRepository>
