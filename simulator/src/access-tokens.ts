import { randomBytes } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import type { SimulatorContext } from './context'
import { SimulatorError } from './errors'
import { purgeExpired, type AccessToken } from './state'

export const ACCESS_TOKEN_TTL_S = 3600

const verified = new WeakMap<FastifyRequest, AccessToken>()

/** The access token `requireScope` accepted for this request. */
export function accessTokenOf (request: FastifyRequest): AccessToken | undefined {
  return verified.get(request)
}

export function issueAccessToken (ctx: SimulatorContext, clientId: string, scopes: string[]): string {
  purgeExpired(ctx.state.accessTokens, t => t.expiresAt)
  const token = randomBytes(32).toString('base64url')
  ctx.state.accessTokens.set(token, { clientId, scopes, expiresAt: Date.now() + ACCESS_TOKEN_TTL_S * 1000 })
  return token
}

export function expireAllTokens (ctx: SimulatorContext): void {
  for (const token of ctx.state.accessTokens.values()) token.expiresAt = 0
}

/** RFC 6750 §3: no error code when the request carried no token at all. */
function unauthorized (message: string, error?: string, scope?: string): SimulatorError {
  const params = ['realm="lti"']
  if (error !== undefined) params.push(`error="${error}"`)
  if (scope !== undefined) params.push(`scope="${scope}"`)
  return new SimulatorError(401, message, 'Authorization', error, { 'www-authenticate': `Bearer ${params.join(', ')}` })
}

/**
 * preHandler demanding a Bearer token carrying one of the scopes.
 * Insufficient scope is a 401 here too, as Canvas and Moodle answer it.
 */
export function requireScope (ctx: SimulatorContext, anyOf: string[]) {
  return async (request: FastifyRequest): Promise<void> => {
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')
    if (match === null) throw unauthorized('Missing access token')
    const token: AccessToken | undefined = ctx.state.accessTokens.get(match[1] ?? '')
    if (token === undefined || token.expiresAt <= Date.now()) {
      throw unauthorized('Invalid or expired access token', 'invalid_token')
    }
    if (!anyOf.some(scope => token.scopes.includes(scope))) {
      throw unauthorized('Insufficient permissions', 'insufficient_scope', anyOf.join(' '))
    }
    verified.set(request, token)
  }
}
