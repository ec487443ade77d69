import { createRemoteJWKSet } from 'jose'
import { USER_AGENT } from './user-agent'

type KeySet = ReturnType<typeof createRemoteJWKSet>

export interface PlatformKeysOptions {
  /** How long a fetched JWKS is trusted before it is fetched again. */
  cacheSeconds: number
  /** Least time between two refetches caused by an unknown `kid`. */
  refetchCooldownSeconds: number
}

/**
 * Platform JWKS per URL, fetched once and reused across launches; a token signed with a `kid` not in the
 * cached set causes one refetch, so platform key rotation works without a restart.
 */
export function createPlatformKeys (options: PlatformKeysOptions): (jwksUrl: string) => KeySet {
  const sets = new Map<string, KeySet>()
  return (jwksUrl) => {
    let set = sets.get(jwksUrl)
    if (!set) {
      set = createRemoteJWKSet(new URL(jwksUrl), {
        cacheMaxAge: options.cacheSeconds * 1000,
        cooldownDuration: options.refetchCooldownSeconds * 1000,
        timeoutDuration: 5000,
        headers: { 'User-Agent': USER_AGENT }
      })
      sets.set(jwksUrl, set)
    }
    return set
  }
}
