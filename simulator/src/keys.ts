import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto'
import { SignJWT, type JWTPayload } from 'jose'

interface SigningKey { kid: string, privateKey: KeyObject, publicKey: KeyObject }

export interface PublicJwk { kty: string, n?: string, e?: string, kid: string, alg: 'RS256', use: 'sig' }

function newKey (kid: string = randomUUID()): SigningKey {
  // Sync generation keeps rotateKey() synchronous; 2048-bit takes a few tens of ms.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  return { kid, privateKey, publicKey }
}

function toJwk (key: SigningKey): PublicJwk {
  const { kty, n, e } = key.publicKey.export({ format: 'jwk' })
  return { kty: kty ?? 'RSA', n, e, kid: key.kid, alg: 'RS256', use: 'sig' }
}

/** The platform's signing keys: the current one signs, the previous one stays published after rotation. */
export class KeyRing {
  private current = newKey()
  private previous: SigningKey | undefined

  rotate (): void {
    this.previous = this.current
    this.current = newKey()
  }

  /** A new key under the current kid, the old one gone (a platform replacing a compromised key in place). */
  replace (): void {
    this.current = newKey(this.current.kid)
  }

  jwks (): { keys: PublicJwk[] } {
    const keys = [this.current, this.previous].filter((k): k is SigningKey => k !== undefined)
    return { keys: keys.map(toJwk) }
  }

  /** Signs with the current key, or with a throwaway key (for negative tests) while keeping the given kid. */
  async sign (payload: JWTPayload, variant: 'valid' | 'badSignature' | 'unknownKid' = 'valid'): Promise<string> {
    const stranger = variant === 'valid' ? undefined : newKey()
    const key = stranger?.privateKey ?? this.current.privateKey
    const kid = variant === 'unknownKid' ? stranger?.kid : this.current.kid
    return await new SignJWT(payload).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid }).sign(key)
  }
}
