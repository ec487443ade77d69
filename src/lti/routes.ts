import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { RequireRole } from '../auth/require-session'
import { wantsHtml } from '../http/error-handler'
import { htmlPage, redirect, refusals } from '../http/api-answers'
import type { DeepLinkRequestRepository } from '../persistence/repositories/deep-link-request.repository'
import type { RegistrationLinkRepository } from '../persistence/repositories/registration-link.repository'
import { deepLinkRoutes } from './deep-linking/deep-link-routes'
import { createDeepLinking } from './deep-linking/deep-linking'
import { createLaunchHandler, LaunchBody, type LaunchDeps, type LaunchOutcome } from './launch'
import type { LtijsAdapter } from './ltijs-provider'
import type { PlatformRegistry } from './platform-registry'
import { createFramedLogin, LoginQuery } from './framed-login'
import { createLoginCheck, createLoginInitiator, LoginParams, type LoginDeps } from './oidc-login'
import { createRefusalHandler, PlatformRefusal } from './platform-refusal'
import { createPlatformStorage, VERIFY_PATH, VerifyBody } from './platform-storage/platform-storage'
import { createDynamicRegistration } from './registration/dynamic-registration'
import { createRegistrationAccess } from './registration/registration-access'
import { registrationRoutes } from './registration/registration-routes'
import type { PlatformNetworkPolicy } from './registration/platform-request'
import { bindStateToBrowser, clearStateCookie, isStateBoundToBrowser } from './state-cookie'

export interface LtiRoutesOptions {
  login: LoginDeps
  launch: LaunchDeps
  ltijs: LtijsAdapter
  platformRegistry: PlatformRegistry
  requireRole: RequireRole
  deepLinkRequests: DeepLinkRequestRepository
  registrationLinks: RegistrationLinkRepository
  /** What dynamic registration may call. */
  registrationNetwork: PlatformNetworkPolicy
  publicUrl: string
  /** SESSION_SECRET signs Platform Storage launch proofs; REGISTRATION_SECRET, if set, opens dynamic registration. */
  secrets: { session: string, registration?: string }
}

/** What the platform posts back to the launch URL: a launch, or its OIDC error answer instead (Moodle posts those). */
const LaunchAnswer = z.object({ ...PlatformRefusal.partial().shape, ...LaunchBody.partial().shape }).superRefine((answer, ctx) => {
  if (answer.error !== undefined) return
  for (const field of ['id_token', 'state'] as const) {
    if (answer[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'is required: the platform sent neither a sign-in nor an error' })
  }
})
const isRefusal = (answer: z.infer<typeof LaunchAnswer>): answer is PlatformRefusal => answer.error !== undefined

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
  const framed = createFramedLogin({ check: createLoginCheck(opts.login) })
  const launch = createLaunchHandler(opts.launch)
  const takeRefusal = createRefusalHandler(opts.launch)
  const storage = createPlatformStorage({ loginStates: opts.login.loginStates, platforms: opts.login.platforms, secret: opts.secrets.session, publicUrl: opts.publicUrl })
  const deepLinking = createDeepLinking({ requests: opts.deepLinkRequests, signingKey: opts.ltijs.toolSigningKey, ttlSeconds: DEEP_LINK_TTL_SECONDS })
  const tags = ['LTI']

  const startLogin = async (params: LoginParams, request: FastifyRequest, reply: FastifyReply, cookieTested = false) => {
    const answered = await framed.beforeLogin(params, cookieTested, request, reply)
    if (answered) return answered
    const login = await initiate(params)
    // Set even when the platform offers Platform Storage: the cookie is the fallback if storage does not answer.
    bindStateToBrowser(reply, login.state, opts.login.loginTtlSeconds)
    if (params.lti_storage_target === undefined) return await reply.redirect(login.redirectTo, 302)
    return await reply.header('cache-control', 'no-store').view('pages/lti-storage-login', storage.loginPage(login, params.lti_storage_target))
  }
  api.get('/lti/login', { schema: { tags, summary: 'OIDC login initiation (GET)', querystring: LoginQuery, response: loginAnswers } },
    async (request, reply) => {
      const { cookie_test: cookieTest, ...params } = request.query
      return await startLogin(params, request, reply, cookieTest === '1')
    })
  api.post('/lti/login', { schema: { tags, summary: 'OIDC login initiation (POST)', body: LoginParams, response: loginAnswers } },
    async (request, reply) => await startLogin(request.body, request, reply))

  /** An accepted launch lands on the role's home page, or on deep linking for an LtiDeepLinkingRequest. */
  const land = async (outcome: LaunchOutcome, reply: FastifyReply) => {
    if (outcome.deepLinking) return await deepLinking.start(outcome, outcome.deepLinking, reply)
    return await reply.redirect(`${homeOf[outcome.role]}?session=${encodeURIComponent(outcome.sessionToken)}`, 302)
  }

  const refused = async (refusal: PlatformRefusal, request: FastifyRequest, reply: FastifyReply) => {
    if (refusal.state !== undefined) clearStateCookie(reply, refusal.state)
    const explained = await takeRefusal(refusal)
    request.log.warn({ platformError: explained.code, platformSaid: explained.platformSaid }, 'the platform refused to sign the person in')
    reply.code(explained.statusCode).header('cache-control', 'no-store')
    if (!wantsHtml(request)) return { statusCode: explained.statusCode, error: 'LTI_PLATFORM_REFUSED', message: `${explained.what} ${explained.todo}` }
    return await reply.view('pages/lti-platform-refused', { title: 'Not signed in', ...explained })
  }
  api.get('/lti/launch', { schema: { tags, summary: "The platform's error answer to a sign-in (OIDC, by redirect)", querystring: PlatformRefusal, response: refusals(400, 401, 403) } },
    async (request, reply) => await refused(request.query, request, reply))

  api.post('/lti/launch', { schema: { tags, summary: 'OIDC authentication response (LTI launch), or the platform\'s error answer', body: LaunchAnswer, response: launchAnswers } },
    async (request, reply) => {
      if (isRefusal(request.body)) return await refused(request.body, request, reply)
      const body = request.body as LaunchBody
      const { state } = body
      const bound = isStateBoundToBrowser(request, state)
      clearStateCookie(reply, state)
      const page = bound ? undefined : await storage.launchPage(body)
      if (page) {
        // A same-origin referrer policy lets the browser send its Origin with the verification post.
        return await reply.header('cache-control', 'no-store').header('referrer-policy', 'same-origin').view('pages/lti-storage-launch', page)
      }
      const outcome = await launch(body, bound ? 'cookie' : undefined)
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
    register: createDynamicRegistration({ registry: opts.platformRegistry, publicUrl: opts.publicUrl, network: opts.registrationNetwork, log: app.log })
  })
}
