import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { serviceUrl, type SimulatorContext } from '../context'
import { SimulatorError, validate } from '../errors'
import {
  courseLineItems, createLineItem, deleteLineItem, getLineItem, toPublicLineItem, updateLineItem, visibleToType
} from '../line-item-store'
import { registerImsJsonParser, requireAccept, requireContentType } from '../media-types'
import { paginate, pagingQuery } from '../paging'
import { lineItemInputSchema } from '../schemas'
import { deploymentOf, serviceRouteGroup } from '../service-routes'
import { MEDIA, SCOPES } from '../vocabulary'

const courseParams = z.object({ courseId: z.string().min(1) })
const itemParams = courseParams.extend({ id: z.string().min(1) })
const listQuery = z.object({
  ...pagingQuery,
  resource_link_id: z.string().optional(),
  resource_id: z.string().optional(),
  tag: z.string().optional()
})

/** The course a service request names, or a 404. */
export function courseOf (ctx: SimulatorContext, request: FastifyRequest): string {
  const { courseId } = validate(courseParams, request.params)
  if (!ctx.state.courses.has(courseId)) throw new SimulatorError(404, 'course not found', 'courseId')
  return courseId
}

/** The line item a service request names (on Moodle, of the request's tool type), or a 404. */
export function lineItemOf (ctx: SimulatorContext, request: FastifyRequest) {
  const courseId = courseOf(ctx, request)
  return getLineItem(ctx, courseId, validate(itemParams, request.params).id, deploymentOf(ctx, request))
}

/** AGS 2.0 line items: container GET/POST and item GET/PUT/DELETE, at the profile's paths. */
export function lineItemRoutes (ctx: SimulatorContext): FastifyPluginAsync {
  const { paths } = ctx.profile
  return async (app) => {
    registerImsJsonParser(app)
    const guard = serviceRouteGroup(app, ctx, 'lineitems')
    const read = guard([SCOPES.lineItem, SCOPES.lineItemReadOnly])
    const write = guard([SCOPES.lineItem])

    app.get(paths.lineItems, {
      preHandler: [...read, requireAccept(MEDIA.lineItemContainer)]
    }, async (request, reply) => {
      const courseId = courseOf(ctx, request)
      const typeId = deploymentOf(ctx, request)
      const q = validate(listQuery, request.query)
      const items = courseLineItems(ctx, courseId).filter(item =>
        visibleToType(ctx, item, typeId) &&
        (q.resource_link_id === undefined || item.resourceLinkId === q.resource_link_id) &&
        (q.resource_id === undefined || item.resourceId === q.resource_id) &&
        (q.tag === undefined || item.tag === q.tag))
      const filters = { resource_link_id: q.resource_link_id, resource_id: q.resource_id, tag: q.tag }
      const page = paginate(items, q, ctx.pageSize, serviceUrl(ctx, 'lineItems', { courseId, typeId }), filters)
      return await reply.type(MEDIA.lineItemContainer).header('link', page.link).send(page.items.map(toPublicLineItem))
    })

    app.post(paths.lineItems, {
      preHandler: [...write, requireContentType(MEDIA.lineItem)]
    }, async (request, reply) => {
      const courseId = courseOf(ctx, request)
      const item = createLineItem(ctx, courseId, validate(lineItemInputSchema, request.body), deploymentOf(ctx, request))
      return await reply.code(201).type(MEDIA.lineItem).header('location', item.id).send(toPublicLineItem(item))
    })

    app.get(paths.lineItem, {
      preHandler: [...read, requireAccept(MEDIA.lineItem)]
    }, async (request, reply) => {
      return await reply.type(MEDIA.lineItem).send(toPublicLineItem(lineItemOf(ctx, request)))
    })

    app.put(paths.lineItem, {
      preHandler: [...write, requireContentType(MEDIA.lineItem)]
    }, async (request, reply) => {
      const updated = updateLineItem(ctx, lineItemOf(ctx, request), validate(lineItemInputSchema, request.body))
      return await reply.type(MEDIA.lineItem).send(toPublicLineItem(updated))
    })

    app.delete(paths.lineItem, { preHandler: write }, async (request, reply) => {
      deleteLineItem(ctx, lineItemOf(ctx, request))
      return await reply.code(204).send()
    })
  }
}
