import type { FastifyPluginAsync } from 'fastify'
import { lineItemSubUrl, type SimulatorContext } from '../context'
import { registerImsJsonParser, requireContentType } from '../media-types'
import { recordScore, scoreInputSchema } from '../score-store'
import { validate } from '../errors'
import { serviceRouteGroup } from '../service-routes'
import { MEDIA, SCOPES } from '../vocabulary'
import { lineItemOf } from './line-items'

/** AGS 2.0 score publish service: `{line item}/scores`. */
export function scoreRoutes (ctx: SimulatorContext): FastifyPluginAsync {
  return async (app) => {
    registerImsJsonParser(app)
    const guard = serviceRouteGroup(app, ctx, 'scores')

    app.post(`${ctx.profile.paths.lineItem}/scores`, {
      preHandler: [...guard([SCOPES.score]), requireContentType(MEDIA.score)]
    }, async (request, reply) => {
      const item = lineItemOf(ctx, request)
      const score = recordScore(ctx, item, validate(scoreInputSchema, request.body))
      return await reply.code(200).send({ resultUrl: lineItemSubUrl(item.id, `results/${encodeURIComponent(score.userId)}`) })
    })
  }
}
