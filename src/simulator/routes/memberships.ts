import type { FastifyPluginAsync } from 'fastify'
import { z } from 'zod'
import { requireScope } from '../access-tokens'
import { courseApiUrl, routeHook, type SimulatorContext } from '../context'
import { serviceErrorHandler, SimulatorError, validate } from '../errors'
import { requireAccept } from '../media-types'
import { paginate, pagingQuery } from '../paging'
import { matchesRoleFilter, roleUris } from '../roles'
import { MEDIA, SCOPES } from '../vocabulary'

const paramsSchema = z.object({ courseId: z.string().min(1) })
const querySchema = z.object({ ...pagingQuery, role: z.string().min(1).optional(), rlid: z.string().min(1).optional() })

/** Names and Role Provisioning Services 2.0 membership container. Removed members are simply absent. */
export function membershipRoutes (ctx: SimulatorContext): FastifyPluginAsync {
  return async (app) => {
    app.setErrorHandler(serviceErrorHandler)
    app.addHook('onRequest', routeHook(ctx, 'memberships'))

    app.get('/api/courses/:courseId/memberships', {
      preHandler: [requireScope(ctx, [SCOPES.memberships]), requireAccept(MEDIA.membershipContainer)]
    }, async (request, reply) => {
      const { courseId } = validate(paramsSchema, request.params)
      const q = validate(querySchema, request.query)
      const course = ctx.state.courses.get(courseId)
      if (course === undefined) throw new SimulatorError(404, 'course not found', 'courseId')
      // rlid is accepted and echoed in paging links but does not narrow the list.
      const members = course.members.filter(m => q.role === undefined || matchesRoleFilter(m.roles, q.role))
      const url = courseApiUrl(ctx, course.id, '/memberships')
      const page = paginate(members, q, ctx.pageSize, url, { role: q.role, rlid: q.rlid })
      return await reply.type(MEDIA.membershipContainer).header('link', page.link).send({
        id: `${ctx.url}${request.url}`,
        context: { id: course.id, label: course.label, title: course.title },
        members: page.items.map(m => {
          const user = ctx.state.users.get(m.userId)
          return {
            status: m.status,
            user_id: m.userId,
            roles: roleUris(m.roles),
            ...(user !== undefined && {
              name: user.name, given_name: user.givenName, family_name: user.familyName, email: user.email
            })
          }
        })
      })
    })
  }
}
