import { timingSafeEqual } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import { Errors } from '../../errors'
import type { StateBinding } from '../../persistence/repositories/login.repository'
import type { PlatformRepository } from '../../persistence/repositories/platform.repository'
import { LaunchBody } from '../launch'
import type { LoginStates } from '../login-state'
import type { InitiatedLogin } from '../oidc-login'
import { createLaunchProofs } from './launch-proof'

export const VERIFY_PATH = '/lti/launch/verify'
/** Prefix of the keys Mentorlink keeps in the platform's storage; each key ends with the value it holds. */
const KEY_PREFIX = 'mentorlink_'

export const VerifyBody = LaunchBody.extend({
  proof: z.string().min(1).max(2048),
  stored_state: z.string().max(256).default(''),
  stored_nonce: z.string().max(256).default('')
})
export type VerifyBody = z.infer<typeof VerifyBody>

export interface PlatformStorageDeps { loginStates: LoginStates, platforms: PlatformRepository, secret: string, publicUrl: string }

const same = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))

/**
 * LTI Platform Storage (lti-pm-s 0.1) binds an OIDC login to the browser when third-party cookies are blocked:
 * the login page stores state and nonce in the platform's window, the launch page reads them back and posts them
 * to /lti/launch/verify. The browser-side scripts are static/js/lti-storage-*.js.
 */
export function createPlatformStorage (deps: PlatformStorageDeps) {
  const proofs = createLaunchProofs(deps.secret)
  const ownOrigin = new URL(deps.publicUrl).origin

  /** Only Mentorlink's own launch page may post a verification, never a page of another site. */
  const fromOwnPage = (request: FastifyRequest): boolean => {
    const site = request.headers['sec-fetch-site']
    if (site !== undefined) return site === 'same-origin'
    return request.headers.origin === ownOrigin
  }

  return {
    loginPage: (login: InitiatedLogin, storageTarget: string) => ({
      title: 'Signing in…', authUrl: login.redirectTo, state: login.state, nonce: login.nonce, storageTarget, platformOrigin: login.platformOrigin, keyPrefix: KEY_PREFIX
    }),
    /** The launch page's data when this login offered Platform Storage; undefined when it did not. */
    launchPage: async (body: LaunchBody) => {
      const login = deps.loginStates.read(body.state, body.id_token)
      if (typeof login === 'string' || login.storageTarget === undefined) return undefined
      const reg = await deps.platforms.find(login.issuer, login.clientId)
      if (!reg) return undefined
      return {
        title: 'Signing in…',
        action: VERIFY_PATH,
        idToken: body.id_token,
        state: body.state,
        proof: await proofs.issue(body.state, body.id_token),
        storageTarget: login.storageTarget,
        platformOrigin: new URL(reg.authEndpoint).origin,
        keyPrefix: KEY_PREFIX
      }
    },
    /** How the browser proved the login is its own: 'platform-storage', or undefined when it could not. */
    binding: async (request: FastifyRequest, body: VerifyBody): Promise<StateBinding | undefined> => {
      if (!fromOwnPage(request)) throw Errors.launchRefused('the launch can only be completed from a Mentorlink page', 403)
      if (!await proofs.verify(body.proof, body.state, body.id_token)) throw Errors.launchRefused('the launch proof is invalid or expired')
      const login = deps.loginStates.read(body.state, body.id_token)
      if (typeof login === 'string' || login.storageTarget === undefined) return undefined
      return same(body.stored_state, body.state) && same(body.stored_nonce, login.nonce) ? 'platform-storage' : undefined
    }
  }
}

export type PlatformStorage = ReturnType<typeof createPlatformStorage>
