import { parseAutoSubmitForm, type LaunchParams, type Simulator } from '@mentorlink/simulator'
import type { FakeTool } from './fake-tool'

/** The tool's OIDC authentication request for a login initiation, as query fields for /auth. */
export function authFields (tool: FakeTool, login: Record<string, string>, overrides: Record<string, string | undefined> = {}) {
  const fields: Record<string, string | undefined> = {
    scope: 'openid',
    response_type: 'id_token',
    response_mode: 'form_post',
    prompt: 'none',
    client_id: login.client_id,
    redirect_uri: tool.registration.redirectUris[0],
    login_hint: login.login_hint,
    lti_message_hint: login.lti_message_hint,
    nonce: 'nonce-123',
    state: 'state-456',
    ...overrides
  }
  return Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined))
}

export async function postAuth (sim: Simulator, fields: Record<string, string>): Promise<Response> {
  return await fetch(sim.endpoints.auth, { method: 'POST', body: new URLSearchParams(fields) })
}

/** Runs login initiation and the auth request the way a browser would, returning the posted id_token. */
export async function launchIdToken (sim: Simulator, tool: FakeTool, p: Partial<LaunchParams> = {}): Promise<string> {
  const { params } = sim.launchRequest({ clientId: tool.registration.clientId, deploymentId: 'deploy-1', courseId: 'c1', userId: 'alice', ...p })
  const res = await postAuth(sim, authFields(tool, params))
  if (res.status !== 200) throw new Error(`auth failed: ${res.status} ${await res.text()}`)
  const form = parseAutoSubmitForm(await res.text())
  return form.fields.id_token ?? ''
}
