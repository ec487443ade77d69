import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { LaunchDeps } from './launch'
import { createLaunchHandler, LaunchBody } from './launch'
import type { LtijsAdapter } from './ltijs-provider'
import { createLoginInitiator, LoginParams, type LoginDeps } from './oidc-login'
import { bindStateToBrowser, clearStateCookie, isStateBoundToBrowser } from './state-cookie'

export interface LtiRoutesOptions { login: LoginDeps, launch: LaunchDeps, ltijs: LtijsAdapter }

const homeOf = { instructor: '/instructor', mentor: '/mentor', student: '/student' } as const

/** The LTI 1.3 endpoints: OIDC login initiation (GET and POST), the launch, and the tool's JWKS. */
export const ltiRoutes: FastifyPluginAsync<LtiRoutesOptions> = async (app, opts) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const initiate = createLoginInitiator(opts.login)
  const launch = createLaunchHandler(opts.launch)
  const tags = ['LTI']

  const startLogin = async (params: LoginParams, reply: import('fastify').FastifyReply) => {
    const { redirectTo, state } = await initiate(params)
    bindStateToBrowser(reply, state, opts.login.loginTtlSeconds)
    return await reply.redirect(redirectTo, 302)
  }
  api.get('/lti/login', { schema: { tags, summary: 'OIDC login initiation (GET)', querystring: LoginParams } },
    async (request, reply) => await startLogin(request.query, reply))
  api.post('/lti/login', { schema: { tags, summary: 'OIDC login initiation (POST)', body: LoginParams } },
    async (request, reply) => await startLogin(request.body, reply))

  api.post('/lti/launch', { schema: { tags, summary: 'OIDC authentication response (LTI launch)', body: LaunchBody } },
    async (request, reply) => {
      const { state } = request.body
      const bound = isStateBoundToBrowser(request, state)
      clearStateCookie(reply, state)
      const outcome = await launch(request.body, bound)
      request.log.info({ role: outcome.role }, 'LTI launch accepted')
      return await reply.redirect(`${homeOf[outcome.role]}?session=${encodeURIComponent(outcome.sessionToken)}`, 302)
    })

  app.get('/lti/keys', { schema: { tags, summary: "The tool's public keys (JWKS)" } }, async (request, reply) => {
    reply.hijack()
    await opts.ltijs.serveKeyset(request.raw, reply.raw)
  })
}
