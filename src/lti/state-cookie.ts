import { createHash } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'

/**
 * Binds an OIDC state to the browser that started the login. One cookie per login (named by a hash of the
 * state) so launches in two tabs do not overwrite each other. SameSite=None because the launch POST comes
 * from the platform's origin.
 */
const cookieName = (state: string): string => `ml_state_${createHash('sha256').update(state).digest('base64url').slice(0, 22)}`
const OPTIONS = { path: '/lti', httpOnly: true, secure: true, sameSite: 'none' } as const

export function bindStateToBrowser (reply: FastifyReply, state: string, ttlSeconds: number): void {
  reply.setCookie(cookieName(state), '1', { ...OPTIONS, maxAge: ttlSeconds })
}

export function isStateBoundToBrowser (request: FastifyRequest, state: string): boolean {
  return request.cookies[cookieName(state)] === '1'
}

export function clearStateCookie (reply: FastifyReply, state: string): void {
  reply.clearCookie(cookieName(state), OPTIONS)
}
