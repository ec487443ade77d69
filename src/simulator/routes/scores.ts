import type { FastifyPluginAsync } from 'fastify'
import { z } from 'zod'
import { requireScope } from '../access-tokens'
import { routeHook, type SimulatorContext } from '../context'
import { serviceErrorHandler, SimulatorError, validate } from '../errors'
import { getLineItem } from '../line-item-store'
import { registerImsJsonParser, requireContentType } from '../media-types'
import { recordScore, scoreInputSchema } from '../score-store'
import { MEDIA, SCOPES } from '../vocabulary'

const params = z.object({ courseId: z.string().min(1), id: z.string().min(1) })

/** AGS 2.0 score publish service. */
export function scoreRoutes (ctx: SimulatorContext): FastifyPluginAsync {
  return async (app) => {
    app.setErrorHandler(serviceErrorHandler)
    registerImsJsonParser(app)
    app.addHook('onRequest', routeHook(ctx, 'scores'))

    app.post('/api/courses/:courseId/lineitems/:id/scores', {
      preHandler: [requireScope(ctx, [SCOPES.score]), requireContentType(MEDIA.score)]
    }, async (request, reply) => {
      const { courseId, id } = validate(params, request.params)
      if (!ctx.state.courses.has(courseId)) throw new SimulatorError(404, 'course not found', 'courseId')
      const item = getLineItem(ctx, courseId, id)
      const score = recordScore(ctx, item, validate(scoreInputSchema, request.body))
      return await reply.code(200).send({ resultUrl: `${item.id}/results/${encodeURIComponent(score.userId)}` })
    })
  }
}
