import type { FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { LoginParams } from './oidc-login'
import { clearTestCookie, keptTestCookie, setTestCookie } from './state-cookie'

/** The GET login's query: the platform's parameters, and `cookie_test` on the request that follows a cookie test. */
export const LoginQuery = LoginParams.extend({
  cookie_test: z.literal('1', 'must be 1 (Mentorlink sets it itself)').optional()
})
export type LoginQuery = z.infer<typeof LoginQuery>

/** Navigations the browser makes inside a frame (Fetch Metadata; browsers without it are treated as top-level). */
const inFrame = (request: FastifyRequest): boolean => {
  const destination = request.headers['sec-fetch-dest']
  return destination === 'iframe' || destination === 'frame'
}

const loginUrl = (params: LoginParams, extra: Record<string, string> = {}): string => {
  const query = new URLSearchParams(extra)
  for (const [name, value] of Object.entries(params)) if (typeof value === 'string') query.set(name, value)
  return `/lti/login?${query.toString()}`
}

/**
 * A login inside the LMS's frame, where the platform offers no LTI Platform Storage, can bind its state with a
 * cookie only. Where the browser keeps no cookie for Mentorlink in that frame (every third-party cookie blocked,
 * partitioned ones too), the launch would be refused after the platform had spent its one-time login hints on it.
 * So before anything goes to the platform the login tests the cookie with a redirect to itself: kept, the login goes
 * on in the frame; lost, the frame offers to open the same login, its hints still unused, in a new window, where it
 * runs top-level with first-party cookies and the full OIDC login and launch.
 */
export function createFramedLogin (deps: { check: (params: LoginParams) => Promise<unknown> }) {
  return {
    /** Answers the request when the browser must first test its cookie or open a new window; undefined: log in here. */
    beforeLogin: async (params: LoginParams, cookieTested: boolean, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
      if (params.lti_storage_target !== undefined || !inFrame(request)) return undefined
      if (!cookieTested) {
        setTestCookie(reply)
        return await reply.header('cache-control', 'no-store').redirect(loginUrl(params, { cookie_test: '1' }), 302)
      }
      if (keptTestCookie(request)) {
        clearTestCookie(reply)
        return undefined
      }
      // A login the new window would refuse is refused here, in the frame.
      await deps.check(params)
      request.log.info('framed login without cookies: offering a new window')
      return await reply.header('cache-control', 'no-store')
        .view('pages/lti-new-window', { title: 'Open Mentorlink in a new window', loginUrl: loginUrl(params) })
    }
  }
}
