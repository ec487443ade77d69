import { createRemoteJWKSet } from 'jose'
import type { RemoteKeySet, SimulatorContext } from './context'

/** One cached remote key set per tool JWKS URL; an unknown kid triggers a refetch (tools rotate keys). */
export function toolKeySet (ctx: SimulatorContext, jwksUrl: string): RemoteKeySet {
  let set = ctx.toolKeySets.get(jwksUrl)
  if (set === undefined) {
    set = createRemoteJWKSet(new URL(jwksUrl), { cooldownDuration: 0, timeoutDuration: 5000 })
    ctx.toolKeySets.set(jwksUrl, set)
  }
  return set
}
