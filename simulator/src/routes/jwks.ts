import type { FastifyPluginAsync } from 'fastify'
import { routeHook, type SimulatorContext } from '../context'

/** Platform JWKS (current key plus the previous one after a rotation). */
export function jwksRoutes (ctx: SimulatorContext): FastifyPluginAsync {
  return async (app) => {
    app.addHook('onRequest', routeHook(ctx, 'jwks'))
    for (const url of [ctx.profile.paths.jwks, '/jwks']) {
      app.get(url, async (_request, reply) => {
        return await reply.header('cache-control', 'max-age=300').send(ctx.keys.jwks())
      })
    }
  }
}
