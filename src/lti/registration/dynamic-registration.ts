import { z } from 'zod'
import { AppError } from '../../errors'
import { TOOL_SCOPES } from '../canvas-config'
import type { PlatformRegistry } from '../platform-registry'
import { USER_AGENT } from '../user-agent'
import { parsePlatformConfiguration, PlatformConfigurationError, platformDisplayName } from './platform-configuration'
import { TOOL_CONFIGURATION, toolRegistrationRequest } from './tool-registration'

const id = z.union([z.string().min(1).max(255), z.number()]).transform(String)

/** The parts of the platform's answer Mentorlink keeps: Moodle returns the deployment id, Canvas may not. */
const RegistrationResponse = z.object({
  client_id: id,
  scope: z.string().optional(),
  [TOOL_CONFIGURATION]: z.object({ deployment_id: id.optional() }).optional()
})

export interface RegistrationRequest { openidConfiguration: string, registrationToken?: string }

export interface RegistrationOutcome {
  platformName: string
  issuer: string
  clientId: string
  /** Absent when the platform did not name one: nothing is stored and `finishCommand` says how to finish. */
  deploymentId?: string
  finishCommand?: string
  /** Scopes Mentorlink asked for that the platform did not grant. */
  deniedScopes: string[]
}

export interface DynamicRegistrationDeps { registry: PlatformRegistry, publicUrl: string, timeoutMs?: number }

const failed = (message: string, status = 502): AppError => new AppError('REGISTRATION_FAILED', status, message)

/**
 * LTI Dynamic Registration 1.0 from the tool's side: read and check the platform's OpenID configuration, post
 * Mentorlink's registration with the platform's registration token, then register the platform here.
 */
export function createDynamicRegistration (deps: DynamicRegistrationDeps) {
  const timeoutMs = deps.timeoutMs ?? 15_000

  const call = async (url: string, what: string, token: string | undefined, body?: unknown): Promise<unknown> => {
    let res: Response
    try {
      res = await fetch(url, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          accept: 'application/json',
          'user-agent': USER_AGENT,
          ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {})
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(timeoutMs)
      })
    } catch (err) {
      throw failed(`Could not reach the platform's ${what} at ${url}: ${(err as Error).message}`)
    }
    const text = await res.text()
    if (!res.ok) throw failed(`The platform's ${what} at ${url} answered HTTP ${res.status}: ${text.slice(0, 300)}`)
    try {
      return JSON.parse(text)
    } catch {
      throw failed(`The platform's ${what} at ${url} did not answer JSON`)
    }
  }

  return async (request: RegistrationRequest): Promise<RegistrationOutcome> => {
    const raw = await call(request.openidConfiguration, 'OpenID configuration', request.registrationToken)
    let config
    try {
      config = parsePlatformConfiguration(raw, request.openidConfiguration)
    } catch (err) {
      if (err instanceof PlatformConfigurationError) throw failed(err.message, 400)
      throw err
    }
    const registration = toolRegistrationRequest(deps.publicUrl, config)
    const answer = RegistrationResponse.safeParse(await call(config.registration_endpoint, 'registration endpoint', request.registrationToken, registration))
    if (!answer.success) {
      const issue = answer.error.issues[0]
      throw failed(`The platform's registration answer is not usable: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'is invalid'}`)
    }
    const clientId = answer.data.client_id
    // Never replace a registration: with Canvas's shared issuer, that would hand another school's launches over.
    if (await deps.registry.find(config.issuer, clientId) !== null) {
      throw failed(`Mentorlink already has a registration for ${config.issuer} with client id ${clientId}; remove it first (npm run platform -- remove) if it is to be replaced.`, 409)
    }
    const deploymentId = answer.data[TOOL_CONFIGURATION]?.deployment_id
    const platform = {
      issuer: config.issuer,
      clientId,
      name: platformDisplayName(config),
      authEndpoint: config.authorization_endpoint,
      tokenEndpoint: config.token_endpoint,
      jwksUrl: config.jwks_uri
    }
    if (deploymentId !== undefined) await deps.registry.add({ ...platform, deploymentIds: [deploymentId] })
    const granted = answer.data.scope === undefined ? new Set(TOOL_SCOPES) : new Set(answer.data.scope.split(/\s+/))
    return {
      platformName: platform.name,
      issuer: platform.issuer,
      clientId,
      deploymentId,
      finishCommand: deploymentId === undefined ? finishCommand(platform) : undefined,
      deniedScopes: TOOL_SCOPES.filter((s) => !granted.has(s))
    }
  }
}

/** The command that completes a registration once the admin has the deployment id from the platform. */
function finishCommand (p: { issuer: string, clientId: string, name: string, authEndpoint: string, tokenEndpoint: string, jwksUrl: string }): string {
  const quote = (v: string): string => `'${v.replace(/'/g, "'\\''")}'`
  return ['npm run platform -- add', `--issuer ${quote(p.issuer)}`, `--client-id ${quote(p.clientId)}`, `--name ${quote(p.name)}`,
    `--auth-url ${quote(p.authEndpoint)}`, `--token-url ${quote(p.tokenEndpoint)}`, `--jwks-url ${quote(p.jwksUrl)}`,
    '--deployment-id <the deployment id the platform shows>'].join(' ')
}
