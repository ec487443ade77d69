import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { absoluteUrl, endpointPaths, issuerOf, type SimulatorContext } from './context'
import { SimulatorError, validate } from './errors'
import { parseOrThrow, toolRegistrationSchema } from './schemas'
import { purgeExpired, type RegistrationGrant } from './state'
import type { DynamicRegistrationOptions } from './types'
import { ALLOWED_SCOPES } from './vocabulary'

export const PLATFORM_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-platform-configuration'
export const TOOL_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-tool-configuration'
const TOKEN_TTL_MS = 60 * 60 * 1000

const httpUrl = z.url({ protocol: /^https?$/ })
const including = (...values: string[]) =>
  z.array(z.string()).refine(list => values.every(v => list.includes(v)), `must include ${values.join(' and ')}`)

/** What the simulator, like Moodle and Canvas, requires of a tool's registration request. */
export const registrationRequestSchema = z.looseObject({
  application_type: z.literal('web'),
  response_types: including('id_token'),
  grant_types: including('implicit', 'client_credentials'),
  initiate_login_uri: httpUrl,
  redirect_uris: z.array(httpUrl).min(1),
  client_name: z.string().min(1),
  jwks_uri: httpUrl,
  logo_uri: httpUrl.optional(),
  token_endpoint_auth_method: z.literal('private_key_jwt'),
  scope: z.string().default(''),
  [TOOL_CONFIGURATION]: z.looseObject({
    domain: z.string().min(1),
    target_link_uri: httpUrl,
    claims: z.array(z.string()).default([]),
    messages: z.array(z.looseObject({
      type: z.enum(['LtiResourceLinkRequest', 'LtiDeepLinkingRequest']),
      target_link_uri: httpUrl.optional(),
      placements: z.array(z.string()).optional()
    })).default([])
  })
})

/** Hands out a registration token, as a platform admin does when pasting a tool's registration URL. */
export function issueRegistrationToken (ctx: SimulatorContext, options: DynamicRegistrationOptions): string {
  purgeExpired(ctx.state.registrationTokens, g => g.expiresAt)
  const token = randomBytes(24).toString('base64url')
  ctx.state.registrationTokens.set(token, { expiresAt: Date.now() + TOKEN_TTL_MS, used: false, options })
  return token
}

/** The tool's registration URL with `openid_configuration` and a new registration token added (its own query kept). */
export function registrationUrlFor (ctx: SimulatorContext, toolRegistrationUrl: string, options: DynamicRegistrationOptions = {}): string {
  const url = new URL(toolRegistrationUrl)
  url.searchParams.set('openid_configuration', absoluteUrl(ctx, endpointPaths.openidConfiguration))
  url.searchParams.set('registration_token', issueRegistrationToken(ctx, options))
  return url.toString()
}

/** The grant for the request's `Authorization: Bearer <registration token>`, or a 401. */
export function grantOf (ctx: SimulatorContext, authorization: string | undefined): RegistrationGrant {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1]
  if (token === undefined) throw new SimulatorError(401, 'Authorization: the registration token is required as a Bearer token', 'Authorization', 'invalid_token')
  const grant = ctx.state.registrationTokens.get(token)
  if (grant === undefined || grant.expiresAt <= Date.now()) {
    throw new SimulatorError(401, 'Authorization: unknown or expired registration token', 'Authorization', 'invalid_token')
  }
  return grant
}

export function openidConfiguration (ctx: SimulatorContext, grant: RegistrationGrant): Record<string, unknown> {
  const { paths } = ctx.profile
  const configuration = {
    issuer: issuerOf(ctx),
    authorization_endpoint: absoluteUrl(ctx, paths.auth),
    registration_endpoint: absoluteUrl(ctx, endpointPaths.registration),
    jwks_uri: absoluteUrl(ctx, paths.jwks),
    token_endpoint: absoluteUrl(ctx, paths.token),
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['RS256'],
    scopes_supported: ['openid', ...ALLOWED_SCOPES],
    response_types_supported: ['id_token'],
    id_token_signing_alg_values_supported: ['RS256'],
    subject_types_supported: ['public'],
    claims_supported: ['iss', 'sub', 'aud', 'name', 'given_name', 'family_name', 'email'],
    [PLATFORM_CONFIGURATION]: {
      product_family_code: ctx.profile.productFamilyCode,
      version: '1.0',
      messages_supported: [
        { type: 'LtiResourceLinkRequest', placements: ['course_navigation'] },
        { type: 'LtiDeepLinkingRequest', placements: ['assignment_selection', 'link_selection'] }
      ],
      variables: ['ResourceLink.id', 'Context.id', 'CourseSection.timeFrame.begin', 'CourseSection.timeFrame.end']
    }
  }
  return grant.options.alterConfiguration?.(configuration) ?? configuration
}

/** Creates the tool from its registration request, using the token up (single use, like Moodle). */
export function registerTool (ctx: SimulatorContext, grant: RegistrationGrant, body: unknown): Record<string, unknown> {
  if (grant.used) throw new SimulatorError(401, 'Authorization: token_already_used', 'Authorization', 'invalid_token')
  const request = validate(registrationRequestSchema, body)
  const toolConfiguration = request[TOOL_CONFIGURATION]
  const asked = request.scope.split(/\s+/).filter(s => s !== '')
  const allowed = grant.options.grantScopes ?? ALLOWED_SCOPES
  const grantedScopes = asked.filter(s => allowed.includes(s) && ALLOWED_SCOPES.includes(s))
  const clientId = grant.options.clientId ?? `dyn-${randomBytes(6).toString('hex')}`
  const deploymentId = ctx.profile.deploymentIdFor(ctx.state.dynamicRegistrations.length + 1)
  const tool = parseOrThrow(toolRegistrationSchema, {
    clientId,
    deploymentIds: [deploymentId],
    loginUrl: request.initiate_login_uri,
    redirectUris: request.redirect_uris,
    targetLinkUri: toolConfiguration.target_link_uri,
    jwksUrl: request.jwks_uri,
    platformStorage: grant.options.platformStorage ?? false,
    scopes: grantedScopes
  }, 'tool registration')
  grant.used = true
  ctx.state.tools.set(clientId, tool)
  ctx.state.dynamicRegistrations.push({ clientId, deploymentId, grantedScopes, request: body as Record<string, unknown> })
  return {
    ...request,
    client_id: clientId,
    scope: grantedScopes.join(' '),
    [TOOL_CONFIGURATION]: {
      ...toolConfiguration,
      ...(grant.options.omitDeploymentId === true ? {} : { deployment_id: deploymentId })
    }
  }
}
