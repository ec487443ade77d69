import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { decodeJwt } from 'jose'

/** What a state was issued for; the launch learns it back from the state and the id_token it comes with. */
export interface IssuedLogin {
  issuer: string
  clientId: string
  /** The platform's `lti_storage_target` when it offered LTI Platform Storage for this login. */
  storageTarget?: string
}

export interface ReadLogin extends IssuedLogin {
  nonce: string
  expiresAt: Date
}

const FORMAT = /^([0-9a-z]{1,11})\.([\w-]{22})\.([\w.-]{0,100})\.([\w-]{43})$/
const encode = (bytes: Buffer): string => bytes.toString('base64url')

/** A state's parts and expiry if it has the form of one we issue and has not expired; not authenticated. */
function unexpired (state: string, now: Date) {
  const parts = FORMAT.exec(state)
  if (!parts) return undefined
  const [, expiry = '', random = '', target = '', mac = ''] = parts
  const expiresAt = new Date(parseInt(expiry, 36) * 1000)
  return expiresAt > now ? { expiry, random, target, mac, expiresAt } : undefined
}

/**
 * OIDC login states that carry themselves, so a login writes nothing and a launch reads nothing to recognise one:
 * `<expiry>.<random>.<storage target>.<MAC>`, the MAC (HMAC-SHA256 under a key derived from SESSION_SECRET) covering
 * those and the platform (issuer and client id), which the launch takes from its id_token before verifying it; the
 * nonce is a MAC of the state. Single use is the launch's business (a unique claim per state).
 */
export function createLoginStates (secret: string) {
  const key = createHmac('sha256', 'mentorlink login state').update(secret).digest()
  const mac = (text: string): Buffer => createHmac('sha256', key).update(text).digest()
  const macOf = (expiry: string, random: string, target: string, issuer: string, clientId: string): Buffer =>
    mac(JSON.stringify(['state', expiry, random, target, issuer, clientId]))
  const nonceOf = (state: string): string => encode(mac(JSON.stringify(['nonce', state])))

  /** The audiences an unverified id_token names: verification later checks the one that matched. */
  const claimedPlatform = (idToken: string): { issuer: string, audiences: string[] } | null => {
    try {
      const { iss, aud } = decodeJwt(idToken)
      const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.slice(0, 5) : []
      return typeof iss === 'string' ? { issuer: iss, audiences } : null
    } catch {
      return null
    }
  }

  return {
    /** When `state` expires if it has the form of one we issue and has not expired yet; it is not authenticated. */
    expiryOf: (state: string, now = new Date()): Date | undefined => unexpired(state, now)?.expiresAt,
    issue: (login: IssuedLogin, ttlSeconds: number): { state: string, nonce: string } => {
      const expiry = Math.ceil(Date.now() / 1000 + ttlSeconds).toString(36)
      const random = encode(randomBytes(16))
      const target = login.storageTarget ?? ''
      const state = `${expiry}.${random}.${target}.${encode(macOf(expiry, random, target, login.issuer, login.clientId))}`
      return { state, nonce: nonceOf(state) }
    },
    /**
     * The login `state` was issued for, if it has not expired and we issued it to the platform `idToken` names;
     * otherwise why not: 'unknown' (not ours, or expired) or 'other platform'.
     */
    read: (state: string, idToken: string, now = new Date()): ReadLogin | 'unknown' | 'other platform' => {
      const parts = unexpired(state, now)
      if (parts === undefined) return 'unknown'
      const { expiry, random, target, mac: given, expiresAt } = parts
      const platform = claimedPlatform(idToken)
      const givenMac = Buffer.from(given, 'base64url')
      const clientId = platform?.audiences.find((audience) =>
        timingSafeEqual(macOf(expiry, random, target, platform.issuer, audience), givenMac))
      if (platform === null || clientId === undefined) return 'other platform'
      return { issuer: platform.issuer, clientId, nonce: nonceOf(state), expiresAt, ...(target !== '' ? { storageTarget: target } : {}) }
    }
  }
}

export type LoginStates = ReturnType<typeof createLoginStates>
