import { z } from 'zod'
import { Errors } from '../errors'
import type { PlatformRegistration, PlatformRepository } from '../persistence/repositories/platform.repository'
import type { LoginStates } from './login-state'

export const LoginParams = z.object({
  iss: z.string().url(),
  login_hint: z.string().min(1),
  target_link_uri: z.string().url(),
  client_id: z.string().min(1).optional(),
  lti_message_hint: z.string().optional(),
  lti_deployment_id: z.string().optional(),
  /** The platform offers LTI Platform Storage through this window or frame (`_parent`, or a frame name). */
  lti_storage_target: z.string().regex(/^[\w.-]{1,100}$/, 'must be a window or frame name').optional()
})
export type LoginParams = z.infer<typeof LoginParams>

export interface LoginDeps {
  platforms: PlatformRepository
  loginStates: LoginStates
  launchUrl: string
  loginTtlSeconds: number
}

async function findRegistration (platforms: PlatformRepository, params: LoginParams): Promise<PlatformRegistration> {
  if (params.client_id) {
    const reg = await platforms.find(params.iss, params.client_id)
    if (!reg) throw Errors.launchRefused('this issuer and client_id are not registered with Mentorlink', 400)
    return reg
  }
  const candidates = await platforms.findByIssuer(params.iss)
  if (candidates.length === 0) throw Errors.launchRefused('this issuer is not registered with Mentorlink', 400)
  if (candidates.length > 1) throw Errors.launchRefused('client_id is required: several registrations share this issuer', 400)
  return candidates[0] as PlatformRegistration
}

const isOurLaunchUrl = (target: string, launchUrl: string): boolean => {
  const url = new URL(target)
  return `${url.origin}${url.pathname}` === launchUrl
}

export interface InitiatedLogin {
  redirectTo: string
  state: string
  nonce: string
  /** Origin of the platform's OIDC authorization endpoint: Platform Storage answers must come from it. */
  platformOrigin: string
}

/** The registration a login request names, once its deployment and target are checked; refuses it otherwise. */
export function createLoginCheck (deps: Pick<LoginDeps, 'platforms' | 'launchUrl'>) {
  return async (params: LoginParams): Promise<PlatformRegistration> => {
    const reg = await findRegistration(deps.platforms, params)
    if (params.lti_deployment_id !== undefined && !reg.deploymentIds.includes(params.lti_deployment_id)) {
      throw Errors.launchRefused('lti_deployment_id is not registered for this platform', 403)
    }
    if (!isOurLaunchUrl(params.target_link_uri, deps.launchUrl)) {
      throw Errors.launchRefused('target_link_uri is not a Mentorlink launch URL', 400)
    }
    return reg
  }
}

/** OIDC third-party login initiation: checks the request and answers with the authentication request URL. */
export function createLoginInitiator (deps: LoginDeps) {
  const check = createLoginCheck(deps)
  return async (params: LoginParams): Promise<InitiatedLogin> => {
    const reg = await check(params)
    const { state, nonce } = deps.loginStates.issue({
      issuer: reg.issuer,
      clientId: reg.clientId,
      ...(params.lti_storage_target !== undefined ? { storageTarget: params.lti_storage_target } : {})
    }, deps.loginTtlSeconds)
    const auth = new URL(reg.authEndpoint)
    const query: Record<string, string> = {
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: reg.clientId,
      redirect_uri: deps.launchUrl,
      login_hint: params.login_hint,
      state,
      nonce,
      ...(params.lti_message_hint !== undefined ? { lti_message_hint: params.lti_message_hint } : {})
    }
    for (const [k, v] of Object.entries(query)) auth.searchParams.set(k, v)
    return { redirectTo: auth.toString(), state, nonce, platformOrigin: auth.origin }
  }
}
