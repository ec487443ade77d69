import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { MENTOR_COOKIE } from '../../auth/require-session'
import { SIGN_IN_PATH, type EmailSignIn } from '../../domain/pools/email-sign-in'
import { AppError } from '../../errors'
import { withSession } from '../../http/view-helpers'

export interface SignInPageOptions {
  signIn: EmailSignIn
  endSession: (token: string) => Promise<void>
  /** Cookies only over HTTPS when Mentorlink is served so. */
  secureCookies: boolean
  /** The course an external mentor's sign-in cookie is for, when it is a live mentor session. */
  signedInMentorCourse: (token: string) => Promise<string | null>
}

const NO_STORE = 'no-store'
const EmailBody = z.object({ email: z.string({ error: 'Enter your email address.' }).trim().max(254, 'That email address is too long.').pipe(z.email('Enter an email address like name@example.com.')) })
const Token = z.string({ error: 'The link is incomplete: copy all of it from the email.' }).min(20, 'The link is incomplete: copy all of it from the email.').max(200)

/**
 * Sign-in for external mentors, who have no LMS account: they ask for a link by email, open it, confirm (so a mail
 * scanner opening the link uses nothing up), and stay signed in on that browser by a first-party cookie.
 */
export const signInPageRoutes: FastifyPluginAsync<SignInPageOptions> = async (app, { signIn, endSession, secureCookies, signedInMentorCourse }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const schema = { hide: true }
  const page = async (reply: FastifyReply, status: number, view: Record<string, unknown>) =>
    await reply.code(status).header('cache-control', NO_STORE).view('pages/sign-in', { title: 'Sign in as a mentor', action: SIGN_IN_PATH, ...view })

  // Someone still signed in on this browser needs no link.
  api.get(SIGN_IN_PATH, { schema }, async (request, reply) => {
    const cookie = request.cookies[MENTOR_COOKIE]
    if (cookie !== undefined && await signedInMentorCourse(cookie) !== null) return await reply.redirect('/mentor', 303)
    return await page(reply, 200, { ask: true })
  })

  api.post(SIGN_IN_PATH, { schema: { ...schema, body: z.record(z.string(), z.unknown()) } }, async (request, reply) => {
    const parsed = EmailBody.safeParse(request.body)
    if (!parsed.success) return await page(reply, 400, { ask: true, error: parsed.error.issues[0]?.message, email: String(request.body.email ?? '') })
    try {
      await signIn.request(parsed.data.email, request.ip)
    } catch (err) {
      if (err instanceof AppError && err.statusCode === 429) return await page(reply, 429, { ask: true, problem: err.message, email: parsed.data.email })
      throw err
    }
    return await page(reply, 200, { sent: true, email: parsed.data.email })
  })

  api.get(`${SIGN_IN_PATH}/link`, { schema: { ...schema, querystring: z.object({ token: Token }) } }, async (request, reply) =>
    await page(reply, 200, { confirm: true, token: request.query.token, linkAction: `${SIGN_IN_PATH}/link` }))

  api.post(`${SIGN_IN_PATH}/link`, { schema: { ...schema, body: z.object({ token: Token }) } }, async (request, reply) => {
    let signedIn: { session: string, maxAgeSeconds: number }
    try {
      signedIn = await signIn.consume(request.body.token)
    } catch (err) {
      if (err instanceof AppError && err.statusCode === 410) return await page(reply, 410, { ask: true, problem: err.message })
      throw err
    }
    void reply.setCookie(MENTOR_COOKIE, signedIn.session, { path: '/', httpOnly: true, secure: secureCookies, sameSite: 'lax', maxAge: signedIn.maxAgeSeconds })
    return await reply.redirect(withSession('/mentor', signedIn.session), 303)
  })

  api.post('/sign-out', { schema: { ...schema, body: z.object({ session: z.string().max(2000).optional() }).optional() } }, async (request, reply) => {
    const token = request.body?.session ?? request.cookies[MENTOR_COOKIE]
    if (token !== undefined) await endSession(token)
    void reply.clearCookie(MENTOR_COOKIE, { path: '/' })
    return await reply.header('cache-control', NO_STORE).view('pages/signed-out', { title: 'Signed out' })
  })
}
