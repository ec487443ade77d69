import type { LtijsAdapter } from './ltijs-provider'

export type ServiceTokens = Pick<LtijsAdapter, 'accessToken' | 'forgetAccessToken'>

interface Entry { token: Promise<string>, at: number }

/**
 * A process-local cache in front of ltijs's (which stores tokens in the database until they expire), so a burst
 * of service calls costs neither a database read nor a token request each; concurrent callers share one fetch.
 * A token the platform refused is forgotten here and in ltijs, once, however many requests saw it refused.
 */
export function createServiceTokenCache (tokens: ServiceTokens, ttlMs = 5 * 60_000) {
  const entries = new Map<string, Entry>()
  const keyOf = (issuer: string, clientId: string, scopes: string[]): string => `${issuer}\n${clientId}\n${[...scopes].sort().join(' ')}`

  return {
    get: async (issuer: string, clientId: string, scopes: string[]): Promise<string> => {
      const key = keyOf(issuer, clientId, scopes)
      const cached = entries.get(key)
      if (cached && Date.now() - cached.at < ttlMs) return await cached.token
      const entry: Entry = { token: tokens.accessToken(issuer, clientId, scopes), at: Date.now() }
      entries.set(key, entry)
      entry.token.catch(() => { if (entries.get(key) === entry) entries.delete(key) })
      return await entry.token
    },
    /** Forgets `refused` if it is still the cached token; a newer one fetched meanwhile is kept. */
    forget: async (issuer: string, clientId: string, scopes: string[], refused: string): Promise<void> => {
      const key = keyOf(issuer, clientId, scopes)
      const cached = entries.get(key)
      if (cached && await cached.token.catch(() => undefined) !== refused) return
      entries.delete(key)
      await tokens.forgetAccessToken(issuer, clientId, scopes)
    }
  }
}

export type ServiceTokenCache = ReturnType<typeof createServiceTokenCache>
