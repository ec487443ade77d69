import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { requireScope } from '../access-tokens'
import { courseApiUrl, routeHook, type SimulatorContext } from '../context'
import { serviceErrorHandler, SimulatorError, validate } from '../errors'
import {
  courseLineItems, createLineItem, deleteLineItem, getLineItem, toPublicLineItem, updateLineItem
} from '../line-item-store'
import { registerImsJsonParser, requireAccept, requireContentType } from '../media-types'
import { paginate, pagingQuery } from '../paging'
import { lineItemInputSchema } from '../schemas'
import { MEDIA, SCOPES } from '../vocabulary'

const courseParams = z.object({ courseId: z.string().min(1) })
const itemParams = courseParams.extend({ id: z.string().min(1) })
const listQuery = z.object({
  ...pagingQuery,
  resource_link_id: z.string().optional(),
  resource_id: z.string().optional(),
  tag: z.string().optional()
})

/** AGS 2.0 line items: container GET/POST and item GET/PUT/DELETE. */
export function lineItemRoutes (ctx: SimulatorContext): FastifyPluginAsync {
  const read = requireScope(ctx, [SCOPES.lineItem, SCOPES.lineItemReadOnly])
  const write = requireScope(ctx, [SCOPES.lineItem])

  const courseOf = (request: FastifyRequest): string => {
    const { courseId } = validate(courseParams, request.params)
    if (!ctx.state.courses.has(courseId)) throw new SimulatorError(404, 'course not found', 'courseId')
    return courseId
  }
  const itemOf = (request: FastifyRequest) => {
    const courseId = courseOf(request)
    return getLineItem(ctx, courseId, validate(itemParams, request.params).id)
  }

  return async (app) => {
    app.setErrorHandler(serviceErrorHandler)
    registerImsJsonParser(app)
    app.addHook('onRequest', routeHook(ctx, 'lineitems'))

    app.get('/api/courses/:courseId/lineitems', {
      preHandler: [read, requireAccept(MEDIA.lineItemContainer)]
    }, async (request, reply) => {
      const courseId = courseOf(request)
      const q = validate(listQuery, request.query)
      const items = courseLineItems(ctx, courseId).filter(item =>
        (q.resource_link_id === undefined || item.resourceLinkId === q.resource_link_id) &&
        (q.resource_id === undefined || item.resourceId === q.resource_id) &&
        (q.tag === undefined || item.tag === q.tag))
      const filters = { resource_link_id: q.resource_link_id, resource_id: q.resource_id, tag: q.tag }
      const page = paginate(items, q, ctx.pageSize, courseApiUrl(ctx, courseId, '/lineitems'), filters)
      return await reply.type(MEDIA.lineItemContainer).header('link', page.link).send(page.items.map(toPublicLineItem))
    })

    app.post('/api/courses/:courseId/lineitems', {
      preHandler: [write, requireContentType(MEDIA.lineItem)]
    }, async (request, reply) => {
      const item = createLineItem(ctx, courseOf(request), validate(lineItemInputSchema, request.body))
      return await reply.code(201).type(MEDIA.lineItem).header('location', item.id).send(toPublicLineItem(item))
    })

    app.get('/api/courses/:courseId/lineitems/:id', {
      preHandler: [read, requireAccept(MEDIA.lineItem)]
    }, async (request, reply) => {
      return await reply.type(MEDIA.lineItem).send(toPublicLineItem(itemOf(request)))
    })

    app.put('/api/courses/:courseId/lineitems/:id', {
      preHandler: [write, requireContentType(MEDIA.lineItem)]
    }, async (request, reply) => {
      const item = itemOf(request)
      const updated = updateLineItem(ctx, item, validate(lineItemInputSchema, request.body))
      return await reply.type(MEDIA.lineItem).send(toPublicLineItem(updated))
    })

    app.delete('/api/courses/:courseId/lineitems/:id', { preHandler: write }, async (request, reply) => {
      deleteLineItem(ctx, itemOf(request))
      return await reply.code(204).send()
    })
  }
}
