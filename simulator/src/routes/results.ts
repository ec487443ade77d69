import type { FastifyPluginAsync } from 'fastify'
import { z } from 'zod'
import { lineItemSubUrl, type SimulatorContext } from '../context'
import { SimulatorError, validate } from '../errors'
import { requireAccept } from '../media-types'
import { paginate, pagingQuery } from '../paging'
import { serviceRouteGroup } from '../service-routes'
import type { StoredLineItem } from '../state'
import type { ScoreRecord } from '../types'
import { MEDIA, SCOPES } from '../vocabulary'
import { lineItemOf } from './line-items'

const resultParams = z.object({ userId: z.string().min(1) })
const listQuery = z.object({ ...pagingQuery, user_id: z.string().min(1).optional() })

/** Like Moodle, only a FullyGraded score yields a resultScore; it is scaled to the line item maximum. */
function resultScore (item: StoredLineItem, score: ScoreRecord): number | undefined {
  const { gradingProgress, scoreGiven, scoreMaximum } = score
  if (gradingProgress !== 'FullyGraded' || scoreGiven === undefined || scoreMaximum === undefined) return undefined
  return scoreGiven / scoreMaximum * item.scoreMaximum
}

function toResult (item: StoredLineItem, score: ScoreRecord) {
  const value = resultScore(item, score)
  return {
    id: lineItemSubUrl(item.id, `results/${encodeURIComponent(score.userId)}`),
    scoreOf: item.id,
    userId: score.userId,
    ...(value !== undefined && { resultScore: value }),
    resultMaximum: item.scoreMaximum,
    ...(score.comment !== undefined && { comment: score.comment })
  }
}

/** AGS 2.0 result service. */
export function resultRoutes (ctx: SimulatorContext): FastifyPluginAsync {
  const results = `${ctx.profile.paths.lineItem}/results`
  const scoresOf = (item: StoredLineItem): ScoreRecord[] =>
    [...ctx.state.latestScores.values()].filter(s => s.lineItemId === item.id)

  return async (app) => {
    const scope = serviceRouteGroup(app, ctx, 'results')([SCOPES.resultReadOnly])

    app.get(results, {
      preHandler: [...scope, requireAccept(MEDIA.resultContainer)]
    }, async (request, reply) => {
      const item = lineItemOf(ctx, request)
      const q = validate(listQuery, request.query)
      const scores = scoresOf(item).filter(s => q.user_id === undefined || s.userId === q.user_id)
      const page = paginate(scores, q, ctx.pageSize, lineItemSubUrl(item.id, 'results'), { user_id: q.user_id })
      return await reply.type(MEDIA.resultContainer).header('link', page.link)
        .send(page.items.map(score => toResult(item, score)))
    })

    app.get(`${results}/:userId`, {
      preHandler: [...scope, requireAccept(MEDIA.result)]
    }, async (request, reply) => {
      const item = lineItemOf(ctx, request)
      const { userId } = validate(resultParams, request.params)
      const score = scoresOf(item).find(s => s.userId === userId)
      if (score === undefined) throw new SimulatorError(404, 'result not found', 'userId')
      return await reply.type(MEDIA.result).send(toResult(item, score))
    })
  }
}
