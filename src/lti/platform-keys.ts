import { createRemoteJWKSet } from 'jose'
import { USER_AGENT } from './user-agent'

type KeySet = ReturnType<typeof createRemoteJWKSet>

export interface PlatformKeysOptions {
  /** How long a fetched JWKS is trusted before it is fetched again. */
  cacheSeconds: number
  /** Least time between two refetches of one JWKS caused by a token its cached keys did not verify. */
  refetchCooldownSeconds: number
  now?: () => number
}

interface Entry {
  set: KeySet
  /** Refetches caused by failed tokens so far: a token verified before the latest one may be tried again. */
  refetches: number
  lastRefetchAt: number
  refetching?: Promise<void>
}

/**
 * Platform JWKS per URL, fetched once and reused across launches. A token the cached keys do not verify (an unknown
 * `kid`, or a known `kid` whose key the platform replaced) causes one refetch, at most once per cooldown per URL, so
 * key rotation and key replacement work without a restart and forged tokens cannot make Mentorlink hammer the
 * platform.
 */
export function createPlatformKeys (options: PlatformKeysOptions) {
  const now = options.now ?? Date.now
  const cooldownMs = options.refetchCooldownSeconds * 1000
  const entries = new Map<string, Entry>()
  const entryOf = (jwksUrl: string): Entry => {
    let entry = entries.get(jwksUrl)
    if (!entry) {
      entry = {
        set: createRemoteJWKSet(new URL(jwksUrl), {
          cacheMaxAge: options.cacheSeconds * 1000,
          // jose would refetch on an unknown kid by itself; refetches are decided here alone, for both causes.
          cooldownDuration: Infinity,
          timeoutDuration: 5000,
          headers: { 'User-Agent': USER_AGENT }
        }),
        refetches: 0,
        lastRefetchAt: -Infinity
      }
      entries.set(jwksUrl, entry)
    }
    return entry
  }

  return {
    /** The key set to verify tokens of this JWKS URL with. */
    keySet: (jwksUrl: string): KeySet => entryOf(jwksUrl).set,

    /** Where the refetches of this URL stand: taken before verifying, handed to `refetched` if the keys failed. */
    version: (jwksUrl: string): number => entryOf(jwksUrl).refetches,

    /**
     * A token verified with the keys of `version` failed: answers whether newer keys are there to try it again,
     * refetching them unless this URL was refetched within the cooldown. Tokens failing together share one fetch.
     */
    refetched: async (jwksUrl: string, version: number): Promise<boolean> => {
      const entry = entryOf(jwksUrl)
      if (entry.refetching === undefined && entry.refetches === version && now() - entry.lastRefetchAt >= cooldownMs) {
        entry.lastRefetchAt = now()
        entry.refetching = entry.set.reload()
          .then(() => { entry.refetches += 1 })
          .finally(() => { entry.refetching = undefined })
      }
      await entry.refetching?.catch(() => undefined)
      return entry.refetches > version
    }
  }
}

export type PlatformKeys = ReturnType<typeof createPlatformKeys>
