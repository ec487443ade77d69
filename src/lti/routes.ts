import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { RequireRole } from '../auth/require-session'
import { htmlPage, redirect, refusals } from '../http/api-answers'
import type { DeepLinkRequestRepository } from '../persistence/repositories/deep-link-request.repository'
import type { RegistrationLinkRepository } from '../persistence/repositories/registration-link.repository'
import { deepLinkRoutes } from './deep-linking/deep-link-routes'
import { createDeepLinking } from './deep-linking/deep-linking'
import { createLaunchHandler, LaunchBody, type LaunchDeps, type LaunchOutcome } from './launch'
import type { LtijsAdapter } from './ltijs-provider'
import type { PlatformRegistry } from './platform-registry'
import { createLoginInitiator, LoginParams, type LoginDeps } from './oidc-login'
import { createPlatformStorage, VERIFY_PATH, VerifyBody } from './platform-storage/platform-storage'
import { createDynamicRegistration } from './registration/dynamic-registration'
import { createRegistrationAccess } from './registration/registration-access'
import { registrationRoutes } from './registration/registration-routes'
import { bindStateToBrowser, clearStateCookie, isStateBoundToBrowser } from './state-cookie'

export interface LtiRoutesOptions {
  login: LoginDeps
  launch: LaunchDeps
  ltijs: LtijsAdapter
  platformRegistry: PlatformRegistry
  requireRole: RequireRole
  deepLinkRequests: DeepLinkRequestRepository
  registrationLinks: RegistrationLinkRepository
  publicUrl: string
  /** SESSION_SECRET signs Platform Storage launch proofs; REGISTRATION_SECRET, if set, opens dynamic registration. */
  secrets: { session: string, registration?: string }
}

const homeOf = { instructor: '/instructor', mentor: '/mentor', student: '/student' } as const

/** What the endpoints answer, for the API docs: browsers reach them, so they answer with redirects and pages. */
const loginAnswers = {
  200: htmlPage('Where the platform offers Platform Storage: a page that keeps state and nonce there, then opens the platform\'s authentication'),
  302: redirect('To the platform\'s authentication endpoint'),
  ...refusals(400, 403)
}
const launchAnswers = {
  200: htmlPage('Where the state cookie did not come back: a page that reads state and nonce from Platform Storage and completes the launch'),
  302: redirect('To the role\'s home page (with ?session=…) or to deep linking'),
  ...refusals(400, 401, 403)
}
const JwkSet = z.object({ keys: z.array(z.record(z.string(), z.unknown())) })
const DEEP_LINK_TTL_SECONDS = 3600

/**
 * The LTI 1.3 endpoints: OIDC login initiation (GET and POST), the launch (state bound by cookie or by LTI Platform
 * Storage), the tool's JWKS, deep linking and dynamic registration.
 */
export const ltiRoutes: FastifyPluginAsync<LtiRoutesOptions> = async (app, opts) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const initiate = createLoginInitiator(opts.login)
  const launch = createLaunchHandler(opts.launch)
  const storage = createPlatformStorage({ loginStates: opts.login.loginStates, platforms: opts.login.platforms, secret: opts.secrets.session, publicUrl: opts.publicUrl })
  const deepLinking = createDeepLinking({ requests: opts.deepLinkRequests, signingKey: opts.ltijs.toolSigningKey, ttlSeconds: DEEP_LINK_TTL_SECONDS })
  const tags = ['LTI']

  const startLogin = async (params: LoginParams, reply: FastifyReply) => {
    const login = await initiate(params)
    // Set even when the platform offers Platform Storage: the cookie is the fallback if storage does not answer.
    bindStateToBrowser(reply, login.state, opts.login.loginTtlSeconds)
    if (params.lti_storage_target === undefined) return await reply.redirect(login.redirectTo, 302)
    return await reply.header('cache-control', 'no-store').view('pages/lti-storage-login', storage.loginPage(login, params.lti_storage_target))
  }
  api.get('/lti/login', { schema: { tags, summary: 'OIDC login initiation (GET)', querystring: LoginParams, response: loginAnswers } },
    async (request, reply) => await startLogin(request.query, reply))
  api.post('/lti/login', { schema: { tags, summary: 'OIDC login initiation (POST)', body: LoginParams, response: loginAnswers } },
    async (request, reply) => await startLogin(request.body, reply))

  /** An accepted launch lands on the role's home page, or on deep linking for an LtiDeepLinkingRequest. */
  const land = async (outcome: LaunchOutcome, reply: FastifyReply) => {
    if (outcome.deepLinking) return await deepLinking.start(outcome, outcome.deepLinking, reply)
    return await reply.redirect(`${homeOf[outcome.role]}?session=${encodeURIComponent(outcome.sessionToken)}`, 302)
  }

  api.post('/lti/launch', { schema: { tags, summary: 'OIDC authentication response (LTI launch)', body: LaunchBody, response: launchAnswers } },
    async (request, reply) => {
      const { state } = request.body
      const bound = isStateBoundToBrowser(request, state)
      clearStateCookie(reply, state)
      const page = bound ? undefined : await storage.launchPage(request.body)
      if (page) {
        // A same-origin referrer policy lets the browser send its Origin with the verification post.
        return await reply.header('cache-control', 'no-store').header('referrer-policy', 'same-origin').view('pages/lti-storage-launch', page)
      }
      const outcome = await launch(request.body, bound ? 'cookie' : undefined)
      request.log.info({ role: outcome.role, binding: 'cookie' }, 'LTI launch accepted')
      return await land(outcome, reply)
    })

  api.post(VERIFY_PATH, { schema: { tags, summary: 'LTI launch completed with Platform Storage', body: VerifyBody, response: { 302: launchAnswers[302], ...refusals(400, 401, 403) } } },
    async (request, reply) => {
      const binding = await storage.binding(request, request.body)
      const outcome = await launch(request.body, binding)
      request.log.info({ role: outcome.role, binding }, 'LTI launch accepted')
      return await land(outcome, reply)
    })

  app.get('/lti/keys', { schema: { tags, summary: "The tool's public keys (JWKS)", response: { 200: JwkSet } } }, async (request, reply) => {
    reply.hijack()
    await opts.ltijs.serveKeyset(request.raw, reply.raw)
  })

  await app.register(deepLinkRoutes, { deepLinking, requireRole: opts.requireRole, launchUrl: opts.launch.launchUrl })
  await app.register(registrationRoutes, {
    access: createRegistrationAccess({ links: opts.registrationLinks, secret: opts.secrets.registration, publicUrl: opts.publicUrl }),
    register: createDynamicRegistration({ registry: opts.platformRegistry, publicUrl: opts.publicUrl })
  })
}
