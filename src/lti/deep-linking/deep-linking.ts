import { createHash } from 'node:crypto'
import type { FastifyReply } from 'fastify'
import type { DeepLinkRequestRepository } from '../../persistence/repositories/deep-link-request.repository'
import type { LaunchOutcome } from '../launch'
import type { LtijsAdapter } from '../ltijs-provider'
import { signDeepLinkingResponse, type DeepLinkAnswer, type DeepLinkTarget } from './deep-link-response'
import type { DeepLinkingSettings } from './deep-linking-settings'

export interface DeepLinkingDeps {
  requests: DeepLinkRequestRepository
  signingKey: LtijsAdapter['toolSigningKey']
  /** How long the instructor has to answer a deep linking request. */
  ttlSeconds: number
}

export const DEEP_LINK_PAGE = '/lti/deep-link'

/** Deep linking requests are keyed by the launch's session, so only the instructor who launched can answer. */
export const sessionHash = (sessionToken: string): string => createHash('sha256').update(sessionToken).digest('hex')

/**
 * Deep Linking 2.0 for instructors: a deep linking launch is remembered server side and answered from the deep
 * linking page; anyone else, or a placement that takes no LTI links, gets an error response at once.
 */
export function createDeepLinking (deps: DeepLinkingDeps) {
  const respond = async (reply: FastifyReply, target: DeepLinkTarget, answer: DeepLinkAnswer): Promise<FastifyReply> => {
    const jwt = await signDeepLinkingResponse(target, answer, await deps.signingKey(target.issuer, target.clientId))
    return await reply.header('cache-control', 'no-store').view('pages/deep-link-return', {
      title: 'Returning to your course', returnUrl: target.returnUrl, jwt, failed: answer.errorMessage !== undefined
    })
  }

  return {
    respond,
    start: async (outcome: LaunchOutcome, settings: DeepLinkingSettings, reply: FastifyReply): Promise<FastifyReply> => {
      const target: DeepLinkTarget = { ...outcome.tenant, returnUrl: settings.deep_link_return_url, data: settings.data }
      if (outcome.role !== 'instructor') {
        return await respond(reply, target, { contentItems: [], errorMessage: 'Only instructors can add Mentorlink to a course.' })
      }
      if (!settings.accept_types.includes('ltiResourceLink')) {
        return await respond(reply, target, { contentItems: [], errorMessage: 'Mentorlink adds an LTI link, which this placement does not accept.' })
      }
      await deps.requests.save({
        ...target,
        sessionHash: sessionHash(outcome.sessionToken),
        acceptTypes: settings.accept_types,
        expiresAt: new Date(Date.now() + deps.ttlSeconds * 1000)
      })
      return await reply.redirect(`${DEEP_LINK_PAGE}?session=${encodeURIComponent(outcome.sessionToken)}`, 302)
    },
    pending: async (sessionToken: string) => await deps.requests.find(sessionHash(sessionToken)),
    take: async (sessionToken: string) => await deps.requests.consume(sessionHash(sessionToken))
  }
}

export type DeepLinking = ReturnType<typeof createDeepLinking>
