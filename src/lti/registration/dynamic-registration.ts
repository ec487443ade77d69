import { z } from 'zod'
import { AppError } from '../../errors'
import { TOOL_SCOPES } from '../canvas-config'
import type { PlatformRegistry } from '../platform-registry'
import type { Logger } from '../../domain/logger'
import { USER_AGENT } from '../user-agent'
import { createPlatformRequester, RefusedAddress, type PlatformNetworkPolicy } from './platform-request'
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

export interface DynamicRegistrationDeps {
  registry: PlatformRegistry
  publicUrl: string
  /** Which addresses the registration may call (REGISTRATION_ALLOW_PRIVATE_NETWORKS, REGISTRATION_ALLOWED_HOSTS). */
  network: PlatformNetworkPolicy
  /** Where the precise reason a platform could not be reached goes: the page says less, see `unreachable`. */
  log: Logger
  timeoutMs?: number
}

const failed = (message: string, status = 502): AppError => new AppError('REGISTRATION_FAILED', status, message)

/**
 * One message for every way a call can fail to reach a platform (no such host, a closed port, a timeout, TLS, an
 * address the policy refuses), so the registration page cannot be used to map what Mentorlink's server can reach.
 */
const unreachable = (what: string, url: string): AppError => failed(`Could not reach the platform's ${what} at ${url}. ` +
  'Check the address, and that Mentorlink\'s server can reach it: Mentorlink calls only public internet addresses unless its ' +
  'administrator allows others (REGISTRATION_ALLOWED_HOSTS, REGISTRATION_ALLOW_PRIVATE_NETWORKS).')

/** The answer's status in plain words; nothing of the answer itself is shown, whatever the platform sent. */
function statusReason (status: number): string {
  if (status >= 300 && status < 400) return 'a redirect, which Mentorlink does not follow: use the address it leads to'
  if (status === 401 || status === 403) return 'the platform refused the request: the registration token may have expired, so start the registration again from the platform'
  if (status === 404) return 'there is nothing at that address'
  if (status >= 500) return 'an error on the platform\'s side: try again later'
  return 'the platform refused the request'
}

/**
 * LTI Dynamic Registration 1.0 from the tool's side: read and check the platform's OpenID configuration, post
 * Mentorlink's registration with the platform's registration token, then register the platform here.
 */
export function createDynamicRegistration (deps: DynamicRegistrationDeps) {
  const timeoutMs = deps.timeoutMs ?? 15_000
  const requestFrom = createPlatformRequester(deps.network)

  const call = async (url: string, what: string, token: string | undefined, body?: unknown): Promise<unknown> => {
    let answer
    try {
      answer = await requestFrom(url, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          accept: 'application/json',
          'user-agent': USER_AGENT,
          ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {})
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        timeoutMs
      })
    } catch (err) {
      deps.log.warn({ url, reason: (err as Error).message, refused: err instanceof RefusedAddress }, `dynamic registration could not reach the platform's ${what}`)
      throw unreachable(what, url)
    }
    if (answer.status < 200 || answer.status >= 300) {
      throw failed(`The platform's ${what} at ${url} answered HTTP ${answer.status}: ${statusReason(answer.status)}.`)
    }
    try {
      return JSON.parse(answer.text)
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
