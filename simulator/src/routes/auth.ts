import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { routeHook, type SimulatorContext } from '../context'
import { oauthErrorHandler, SimulatorError, validate } from '../errors'
import { renderAutoSubmitForm } from '../html-form'
import { signIdToken } from '../id-token'
import { refusalFields } from '../sign-in-refusals'

const authRequestSchema = z.object({
  scope: z.literal('openid'),
  response_type: z.literal('id_token'),
  response_mode: z.literal('form_post'),
  prompt: z.literal('none'),
  client_id: z.string().min(1),
  redirect_uri: z.string().min(1),
  login_hint: z.string().min(1),
  lti_message_hint: z.string().min(1),
  nonce: z.string().min(1),
  state: z.string().min(1)
})

function fail (field: string, message: string): never {
  throw new SimulatorError(400, `${field}: ${message}`, field)
}

/** OIDC authorization endpoint: checks the tool's authentication request and form-posts the id_token. */
export function authRoutes (ctx: SimulatorContext): FastifyPluginAsync {
  return async (app) => {
    app.setErrorHandler(oauthErrorHandler)
    app.addHook('onRequest', routeHook(ctx, 'auth'))

    const handler = async (request: FastifyRequest) => {
      const q = validate(authRequestSchema, request.method === 'GET' ? request.query : request.body)
      const tool = ctx.state.tools.get(q.client_id) ?? fail('client_id', 'no tool registered with this client id')
      if (!tool.redirectUris.includes(q.redirect_uri)) fail('redirect_uri', 'not a registered redirect URI')
      const refusal = ctx.signInRefusals.take()
      if (refusal !== undefined) return { redirectUri: q.redirect_uri, fields: refusalFields(refusal, q.state), answer: refusal.answer }
      const launch = ctx.state.pendingLaunches.get(q.lti_message_hint)
      if (launch === undefined || launch.expiresAt <= Date.now()) {
        fail('lti_message_hint', 'unknown, expired or already used')
      }
      if (launch.clientId !== q.client_id) fail('client_id', 'does not match the launch')
      if (launch.userId !== q.login_hint) fail('login_hint', 'does not match the launching user')
      ctx.state.pendingLaunches.delete(q.lti_message_hint)
      return { redirectUri: q.redirect_uri, fields: { id_token: await signIdToken(ctx, launch, q.nonce), state: q.state }, answer: 'form_post' }
    }

    app.route({
      method: ['GET', 'POST'],
      url: ctx.profile.paths.auth,
      handler: async (request, reply) => {
        const { redirectUri, fields, answer } = await handler(request)
        if (answer === 'redirect') return await reply.header('cache-control', 'no-store').redirect(`${redirectUri}?${new URLSearchParams(fields).toString()}`, 302)
        return await reply.type('text/html; charset=utf-8').header('cache-control', 'no-store')
          .send(renderAutoSubmitForm(redirectUri, fields, 'Signing in…'))
      }
    })
  }
}
