import { randomUUID } from 'node:crypto'
import type { JWTPayload } from 'jose'
import { LTI_CLAIM } from './vocabulary'
import type { Tamper } from './types'

export type SigningVariant = 'valid' | 'badSignature' | 'unknownKid'

/** Tampers waiting to be applied to the next id_tokens, each for a number of uses. */
export class TamperQueue {
  private active: Array<{ tamper: Tamper, remaining: number }> = []

  add (tamper: Tamper, times = 1): void {
    if (times > 0) this.active.push({ tamper, remaining: times })
  }

  /** Returns the tampers for one token and uses them up. */
  take (): Tamper[] {
    const taken = this.active.map(entry => entry.tamper)
    this.active.forEach(entry => { entry.remaining -= 1 })
    this.active = this.active.filter(entry => entry.remaining > 0)
    return taken
  }

  clear (): void {
    this.active = []
  }
}

/** Accepts a claim's full name, or a short LTI claim name such as `roles` or `deployment_id`. */
function claimKey (claims: JWTPayload, claim: string): string {
  if (claim in claims) return claim
  const lti = `${LTI_CLAIM}/${claim}`
  return lti in claims ? lti : Object.keys(claims).find(k => k.endsWith(`/${claim}`)) ?? claim
}

/** Applies tampers to the claims in place and tells how the token must be signed. */
export function applyTampers (claims: JWTPayload, tampers: Tamper[]): SigningVariant {
  let signing: SigningVariant = 'valid'
  for (const t of tampers) {
    switch (t.kind) {
      case 'badSignature': signing = 'badSignature'; break
      case 'unknownKid': signing = 'unknownKid'; break
      case 'expired':
        claims.iat = Math.floor(Date.now() / 1000) - 600
        claims.exp = claims.iat + 300
        break
      case 'wrongAudience': claims.aud = `not-${String(claims.aud)}`; break
      case 'wrongNonce': claims.nonce = randomUUID(); break
      case 'wrongIssuer': claims.iss = 'https://wrong-issuer.example.com'; break
      case 'unknownDeployment': claims[`${LTI_CLAIM}/deployment_id`] = `unknown-${randomUUID()}`; break
      case 'removeClaim': delete claims[claimKey(claims, t.claim)]; break
      case 'setClaim': claims[claimKey(claims, t.claim)] = t.value; break
    }
  }
  return signing
}
