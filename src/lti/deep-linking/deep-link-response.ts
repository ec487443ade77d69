import { randomBytes, type KeyObject } from 'node:crypto'
import { SignJWT } from 'jose'
import { CLAIM } from '../claims'

export const DL_CLAIM = {
  contentItems: 'https://purl.imsglobal.org/spec/lti-dl/claim/content_items',
  data: 'https://purl.imsglobal.org/spec/lti-dl/claim/data',
  msg: 'https://purl.imsglobal.org/spec/lti-dl/claim/msg',
  // Spelled out here because ltijs 5.9 sends this claim with a trailing space, which platforms ignore.
  errormsg: 'https://purl.imsglobal.org/spec/lti-dl/claim/errormsg'
} as const

/** Where a deep linking response goes and what it must echo from the request. */
export interface DeepLinkTarget { issuer: string, clientId: string, deploymentId: string, returnUrl: string, data?: string | null }

export interface DeepLinkAnswer { contentItems: Array<Record<string, unknown>>, message?: string, errorMessage?: string }

const LIFETIME_SECONDS = 300

/** Signs an LtiDeepLinkingResponse (Deep Linking 2.0, section 4.2) with the tool's key for that platform. */
export async function signDeepLinkingResponse (
  target: DeepLinkTarget, answer: DeepLinkAnswer, key: { kid: string, privateKey: KeyObject }
): Promise<string> {
  return await new SignJWT({
    nonce: randomBytes(24).toString('base64url'),
    [CLAIM.deploymentId]: target.deploymentId,
    [CLAIM.messageType]: 'LtiDeepLinkingResponse',
    [CLAIM.version]: '1.3.0',
    [DL_CLAIM.contentItems]: answer.contentItems,
    ...(typeof target.data === 'string' ? { [DL_CLAIM.data]: target.data } : {}),
    ...(answer.message !== undefined ? { [DL_CLAIM.msg]: answer.message } : {}),
    ...(answer.errorMessage !== undefined ? { [DL_CLAIM.errormsg]: answer.errorMessage } : {})
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid })
    .setIssuer(target.clientId)
    .setAudience(target.issuer)
    .setIssuedAt()
    .setExpirationTime(`${LIFETIME_SECONDS}s`)
    .setJti(randomBytes(16).toString('base64url'))
    .sign(key.privateKey)
}
