import { createHash } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'

/**
 * Binds an OIDC state to the browser that started the login. One cookie per login (named by a hash of the
 * state) so launches in two tabs do not overwrite each other. SameSite=None because the launch POST comes
 * from the platform's origin. Partitioned (CHIPS): inside the LMS's frame, browsers that block third-party cookies
 * still keep a cookie set there for that LMS alone, which is all a login started and finished in that frame needs.
 */
const cookieName = (state: string): string => `ml_state_${createHash('sha256').update(state).digest('base64url').slice(0, 22)}`
const OPTIONS = { path: '/lti', httpOnly: true, secure: true, sameSite: 'none', partitioned: true } as const

export function bindStateToBrowser (reply: FastifyReply, state: string, ttlSeconds: number): void {
  reply.setCookie(cookieName(state), '1', { ...OPTIONS, maxAge: ttlSeconds })
}

export function isStateBoundToBrowser (request: FastifyRequest, state: string): boolean {
  return request.cookies[cookieName(state)] === '1'
}

export function clearStateCookie (reply: FastifyReply, state: string): void {
  reply.clearCookie(cookieName(state), OPTIONS)
}

/** Asks the browser to keep a cookie exactly like a state cookie, to learn on the next request whether it does. */
const TEST_COOKIE = 'ml_cookie_test'
const TEST_TTL_SECONDS = 60

export function setTestCookie (reply: FastifyReply): void {
  reply.setCookie(TEST_COOKIE, '1', { ...OPTIONS, maxAge: TEST_TTL_SECONDS })
}

export function keptTestCookie (request: FastifyRequest): boolean {
  return request.cookies[TEST_COOKIE] === '1'
}

export function clearTestCookie (reply: FastifyReply): void {
  reply.clearCookie(TEST_COOKIE, OPTIONS)
}
