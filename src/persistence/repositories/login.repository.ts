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

type StoredLogin = Omit<PendingLogin, 'state'> & { _id: string }
/** Longer than any login lives, so a state is never claimed twice. */
const CLAIM_KEPT_MS = 24 * 60 * 60 * 1000

export function createLoginRepository (models: Pick<Models, 'oidcLogins' | 'singleUseClaims'>) {
  const { oidcLogins } = models
  // Looked up by `_id` alone, the one filter FerretDB answers from its index; the rest is checked here.
  const usable = (login: StoredLogin | null): login is StoredLogin => login !== null && login.expiresAt > new Date()
  const toLogin = ({ _id, nonce, issuer, clientId, targetLinkUri, expiresAt, storageTarget }: StoredLogin): PendingLogin =>
    ({ state: _id, nonce, issuer, clientId, targetLinkUri, expiresAt, storageTarget })
  return {
    save: async ({ state, ...login }: PendingLogin): Promise<void> => { await oidcLogins.create({ _id: state, ...login }) },
    /** The login if it is still usable, without using it up. */
    find: async (state: string): Promise<PendingLogin | null> => {
      const login = await oidcLogins.findById(state).lean()
      return usable(login) ? toLogin(login) : null
    },
    /**
     * Uses the login up, so a state (and its nonce) serves one launch only: the login goes (the collection stays as
     * small as the logins under way: FerretDB's lookups by _id slow down as a collection grows), and the unique
     * insert of a claim has exactly one winner on every server, where two concurrent deletes may both answer the
     * document on FerretDB. The claim keeps the platform and how the state was bound to the browser (none when the
     * launch is refused for that).
     */
    consume: async (state: string, binding?: StateBinding): Promise<PendingLogin | null> => {
      const login = await oidcLogins.findOneAndDelete({ _id: state }).lean()
      if (!usable(login)) return null
      const { issuer, clientId, storageTarget } = login
      const claimed = await claimOnce(models, `oidc-state:${state}`, new Date(Date.now() + CLAIM_KEPT_MS), { issuer, clientId, storageTarget, binding: binding ?? null })
      return claimed ? toLogin(login) : null
    }
  }
}

export type LoginRepository = ReturnType<typeof createLoginRepository>
