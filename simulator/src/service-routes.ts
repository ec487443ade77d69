import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { accessTokenOf, requireScope } from './access-tokens'
import { routeHook, type SimulatorContext } from './context'
import { serviceErrorHandler, SimulatorError, validate } from './errors'
import type { FaultRoute } from './types'

type PreHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>

const admitted = new WeakSet<FastifyRequest>()
const typeIdQuery = z.object({ type_id: z.string().min(1, 'required: keep the query of the URL the platform gave') })

/** onRequest hook: Canvas refuses API and LTI service calls that do not say who is calling. */
export async function requireUserAgent (request: FastifyRequest): Promise<void> {
  if ((request.headers['user-agent'] ?? '').trim() === '') {
    throw new SimulatorError(403, 'User-Agent: a User-Agent header is required', 'User-Agent')
  }
}

/**
 * Sets up an LTI service route group: counts and faults, Canvas-style error bodies, the profile's User-Agent rule
 * and its throttle (with Canvas's `X-Request-Cost` and `X-Rate-Limit-Remaining` headers). Returns the preHandlers
 * each route needs: a token carrying one of `scopes`, then a place in the client's bucket.
 */
export function serviceRouteGroup (app: FastifyInstance, ctx: SimulatorContext, route: FaultRoute): (scopes: string[]) => PreHandler[] {
  app.setErrorHandler(serviceErrorHandler)
  app.addHook('onRequest', routeHook(ctx, route))
  if (ctx.profile.requiresUserAgent) app.addHook('onRequest', requireUserAgent)
  const buckets = ctx.throttle
  if (buckets === undefined) return scopes => [requireScope(ctx, scopes)]

  app.addHook('onSend', async (request, reply, payload) => {
    const token = accessTokenOf(request)
    if (token === undefined) return payload
    if (admitted.has(request)) reply.header('x-request-cost', buckets.settle(token.clientId).toFixed(4))
    reply.header('x-rate-limit-remaining', buckets.remaining(token.clientId).toFixed(1))
    return payload
  })
  const throttle: PreHandler = async (request, reply) => {
    const token = accessTokenOf(request)
    if (token === undefined || buckets.admit(token.clientId)) {
      admitted.add(request)
      return
    }
    ctx.stats.throttled += 1
    const { status } = buckets.options
    const text = status === 429 ? '429 Too Many Requests (Rate Limit Exceeded)' : '403 Forbidden (Rate Limit Exceeded)'
    return await reply.code(status).type('text/plain; charset=utf-8').send(`${text}\n`)
  }
  return scopes => [requireScope(ctx, scopes), throttle]
}

/**
 * The deployment a service request acts for. On Moodle it is the `type_id` of the URL (the tool type), which must
 * be one of the calling tool's; elsewhere the tool's first deployment.
 */
export function deploymentOf (ctx: SimulatorContext, request: FastifyRequest, fromPath?: string): string {
  const clientId = accessTokenOf(request)?.clientId
  const deployments = (clientId === undefined ? undefined : ctx.state.tools.get(clientId)?.deploymentIds) ?? []
  if (!ctx.profile.typeIdQuery) return deployments[0] ?? ''
  const typeId = fromPath ?? validate(typeIdQuery, request.query).type_id
  if (!deployments.includes(typeId)) throw new SimulatorError(403, 'type_id: not a tool type of this client', 'type_id')
  return typeId
}
