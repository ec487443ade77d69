import type { FastifyPluginAsync } from 'fastify'
import { z } from 'zod'
import { ACCESS_TOKEN_TTL_S, issueAccessToken } from '../access-tokens'
import { verifyClientAssertion } from '../client-assertion'
import { absoluteUrl, routeHook, type SimulatorContext } from '../context'
import { oauthErrorHandler, SimulatorError, validate } from '../errors'
import { requireUserAgent } from '../service-routes'
import { ALLOWED_SCOPES, CLIENT_ASSERTION_TYPE } from '../vocabulary'

const tokenRequestSchema = z.object({
  grant_type: z.string().min(1),
  client_assertion_type: z.literal(CLIENT_ASSERTION_TYPE),
  client_assertion: z.string().min(1),
  scope: z.string().trim().min(1)
})

/** OAuth 2 client_credentials grant with a JWT client assertion (LTI Security Framework §4.1). */
export function tokenRoutes (ctx: SimulatorContext): FastifyPluginAsync {
  return async (app) => {
    app.setErrorHandler(oauthErrorHandler)
    app.addHook('onRequest', routeHook(ctx, 'token'))
    if (ctx.profile.requiresUserAgent) app.addHook('onRequest', requireUserAgent)

    app.post(ctx.profile.paths.token, async (request, reply) => {
      const body = validate(tokenRequestSchema, request.body)
      if (body.grant_type !== 'client_credentials') {
        throw new SimulatorError(400, 'grant_type: only client_credentials is supported', 'grant_type', 'unsupported_grant_type')
      }
      const scopes = [...new Set(body.scope.split(/\s+/))]
      const unknown = scopes.filter(s => !ALLOWED_SCOPES.includes(s))
      if (unknown.length > 0) {
        throw new SimulatorError(400, `scope: not allowed: ${unknown.join(' ')}`, 'scope', 'invalid_scope')
      }
      const { tool } = await verifyClientAssertion(ctx, body.client_assertion, absoluteUrl(ctx, ctx.profile.paths.token))
      const notGranted = tool.scopes === undefined ? [] : scopes.filter(s => !(tool.scopes ?? []).includes(s))
      if (notGranted.length > 0) {
        throw new SimulatorError(400, `scope: not granted to this tool: ${notGranted.join(' ')}`, 'scope', 'invalid_scope')
      }
      const scope = scopes.join(' ')
      return await reply.header('cache-control', 'no-store').send({
        access_token: issueAccessToken(ctx, tool.clientId, scopes),
        token_type: 'Bearer',
        expires_in: ACCESS_TOKEN_TTL_S,
        scope
      })
    })
  }
}
