import { createHash } from 'node:crypto'
import { jwtVerify, SignJWT } from 'jose'

const PROOF_SECONDS = 120

const digest = (value: string): string => createHash('sha256').update(value).digest('base64url')

/**
 * A short-lived token the Platform Storage launch page carries back to /lti/launch/verify: it proves the state and
 * id_token it comes with are the ones POST /lti/launch received, so the page cannot be fed other values.
 */
export function createLaunchProofs (secret: string) {
  const key = createHash('sha256').update(`mentorlink launch proof\0${secret}`).digest()
  return {
    issue: async (state: string, idToken: string): Promise<string> =>
      await new SignJWT({ ith: digest(idToken) })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(state)
        .setIssuedAt()
        .setExpirationTime(`${PROOF_SECONDS}s`)
        .sign(key),
    verify: async (proof: string, state: string, idToken: string): Promise<boolean> => {
      try {
        const { payload } = await jwtVerify(proof, key, { algorithms: ['HS256'], subject: state })
        return payload.ith === digest(idToken)
      } catch {
        return false
      }
    }
  }
}
