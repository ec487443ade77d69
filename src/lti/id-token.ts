import { errors as joseErrors, jwtVerify } from 'jose'
import { Errors } from '../errors'
import { CLAIM, LaunchClaims } from './claims'
import type { PlatformKeys } from './platform-keys'

export interface ExpectedToken {
  issuer: string
  clientId: string
  nonce: string
  jwksUrl: string
  deploymentIds: readonly string[]
  launchUrl: string
}

export interface IdTokenVerifierOptions {
  keys: PlatformKeys
  clockLeewaySeconds: number
  /** Oldest `iat` accepted, beyond the leeway. */
  maxAgeSeconds: number
}

function describeJoseError (err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'id_token has expired'
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `id_token claim "${err.claim}" is invalid (${err.reason})`
  if (err instanceof joseErrors.JWKSNoMatchingKey) return 'id_token is signed with a key the platform does not publish'
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'id_token signature is invalid'
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return 'id_token must be signed with RS256'
  if (err instanceof joseErrors.JWKSTimeout || err instanceof joseErrors.JOSEError) return `id_token could not be verified (${(err as Error).message})`
  return 'id_token is malformed'
}

const pathOf = (url: string): string => { const u = new URL(url); return `${u.origin}${u.pathname}` }

/** The cached keys did not verify the token: newer keys from the platform may. */
const keysMayBeStale = (err: unknown): boolean => err instanceof joseErrors.JWSSignatureVerificationFailed || err instanceof joseErrors.JWKSNoMatchingKey

/** Verifies an id_token against the login that asked for it and returns its validated claims. */
export function createIdTokenVerifier (options: IdTokenVerifierOptions) {
  return async (idToken: string, expected: ExpectedToken): Promise<LaunchClaims> => {
    const verify = async (): Promise<Record<string, unknown>> => (await jwtVerify(idToken, options.keys.keySet(expected.jwksUrl), {
      issuer: expected.issuer,
      audience: expected.clientId,
      algorithms: ['RS256'],
      clockTolerance: options.clockLeewaySeconds,
      maxTokenAge: options.maxAgeSeconds + options.clockLeewaySeconds,
      requiredClaims: ['iss', 'aud', 'exp', 'iat', 'nonce', 'sub']
    })).payload
    let payload: Record<string, unknown>
    const keysVersion = options.keys.version(expected.jwksUrl)
    try {
      payload = await verify()
    } catch (err) {
      // A platform may replace its key under the same kid: the next launch must not wait for the cache to expire.
      if (!keysMayBeStale(err) || !await options.keys.refetched(expected.jwksUrl, keysVersion)) throw Errors.launchRefused(describeJoseError(err))
      try {
        payload = await verify()
      } catch (again) {
        throw Errors.launchRefused(describeJoseError(again))
      }
    }
    const aud = payload.aud
    if ((Array.isArray(aud) && aud.length > 1) || payload.azp !== undefined) {
      if (payload.azp !== expected.clientId) throw Errors.launchRefused('id_token "azp" must name this tool\'s client id')
    }
    if (payload.nonce !== expected.nonce) throw Errors.launchRefused('id_token "nonce" is not the one issued at login')

    const claims = LaunchClaims.safeParse(payload)
    if (!claims.success) {
      const issue = claims.error.issues[0]
      throw Errors.launchRefused(`id_token claim "${issue?.path.join('.') ?? ''}" ${issue?.message ?? 'is invalid'}`, 400)
    }
    if (!expected.deploymentIds.includes(claims.data[CLAIM.deploymentId])) {
      throw Errors.launchRefused('deployment_id is not registered for this platform and client id', 403)
    }
    if (pathOf(claims.data[CLAIM.targetLinkUri]) !== expected.launchUrl) {
      throw Errors.launchRefused('target_link_uri claim is not this launch endpoint', 400)
    }
    return claims.data
  }
}
