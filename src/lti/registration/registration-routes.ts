import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { AppError } from '../../errors'
import { htmlPage, refusals } from '../../http/api-answers'
import type { createDynamicRegistration } from './dynamic-registration'
import type { RegistrationAccess } from './registration-access'
import { SCOPE_PURPOSES } from './tool-registration'

export interface RegistrationRoutesOptions { access: RegistrationAccess, register: ReturnType<typeof createDynamicRegistration> }

const RegisterQuery = z.object({
  openid_configuration: z.url({ protocol: /^https?$/ }).max(2048),
  registration_token: z.string().min(1).max(8192).optional(),
  secret: z.string().max(1024).optional(),
  link: z.string().max(1024).optional()
})

const REFUSED = 'Only an administrator can register Mentorlink with a platform, and this registration URL carries no ' +
  'valid registration secret or one-time link (it is missing, wrong, expired or already used).'

/** The LTI Dynamic Registration initiation URL the platform opens for its admin (Moodle 3.10+, Canvas). */
export const registrationRoutes: FastifyPluginAsync<RegistrationRoutesOptions> = async (app, opts) => {
  // A platform that opens registration in a popup closes it when the page posts org.imsglobal.lti.close to
  // window.opener. Any other opener policy (same-origin-allow-popups too) cuts a popup off from a cross-origin opener.
  app.addHook('onRequest', async (_request, reply) => { reply.header('cross-origin-opener-policy', 'unsafe-none') })
  app.withTypeProvider<ZodTypeProvider>().get('/lti/register', {
    schema: {
      tags: ['LTI'],
      summary: 'LTI Dynamic Registration initiation (admins only)',
      querystring: RegisterQuery,
      // Refusals and failures are pages too (the platform shows them to its admin), except a malformed query. The
      // query's limits admit an address longer than Node reads, which it answers 431 itself.
      response: { 200: htmlPage('Registered: what the platform granted, and the button that closes the window'), ...refusals(400, 403, 409, 431, 502) }
    }
  }, async (request, reply) => {
    const q = request.query
    const problem = async (title: string, err: AppError, view: { refused?: boolean, attemptsLeft?: number | null } = {}) =>
      // The documented answers above list each status a refusal or failure may have; the compiler cannot check it.
      await reply.status(err.statusCode as 400 | 403 | 409 | 502).header('cache-control', 'no-store')
        .view('pages/registration-problem', { title, message: err.message, statusCode: err.statusCode, ...view, usedUp: view.attemptsLeft === 0 })
    const grant = await opts.access.authorize({ secret: q.secret, link: q.link })
    if (!grant) return await problem('Registration refused', new AppError('FORBIDDEN', 403, REFUSED), { refused: true })
    let outcome
    try {
      outcome = await opts.register({ openidConfiguration: q.openid_configuration, registrationToken: q.registration_token })
    } catch (err) {
      const attemptsLeft = await grant.fail()
      if (err instanceof AppError) return await problem('Registration failed', err, { attemptsLeft })
      throw err
    }
    await grant.complete()
    request.log.info({ issuer: outcome.issuer, clientId: outcome.clientId, deploymentId: outcome.deploymentId }, 'platform registered dynamically')
    const deniedScopes = outcome.deniedScopes.map((scope) => ({ scope, purpose: SCOPE_PURPOSES[scope] ?? scope }))
    return await reply.header('cache-control', 'no-store').view('pages/registration-done', {
      title: 'Mentorlink registered',
      ...outcome,
      deniedScopes,
      autoClose: deniedScopes.length === 0 && outcome.finishCommand === undefined
    })
  })
}
