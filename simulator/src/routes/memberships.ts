import type { FastifyPluginAsync } from 'fastify'
import { z } from 'zod'
import { serviceUrl, type SimulatorContext } from '../context'
import { SimulatorError, validate } from '../errors'
import { requireAccept } from '../media-types'
import { paginate, pagingQuery } from '../paging'
import { legacyUserId, matchesRoleFilter, roleUris } from '../roles'
import { deploymentOf, serviceRouteGroup } from '../service-routes'
import type { SimMember } from '../types'
import { MEDIA, SCOPES } from '../vocabulary'

const paramsSchema = z.object({ courseId: z.string().min(1), typeId: z.string().min(1).optional() })
const querySchema = z.object({ ...pagingQuery, role: z.string().min(1).optional(), rlid: z.string().min(1).optional() })

/**
 * Names and Role Provisioning Services 2.0 membership container. Removed members are simply absent; so are
 * suspended ones on Canvas, which lists active members only, while Moodle lists them as Inactive.
 */
export function membershipRoutes (ctx: SimulatorContext): FastifyPluginAsync {
  const { profile } = ctx
  const listed = (m: SimMember): boolean => profile.listsInactiveMembers || m.status === 'Active'

  return async (app) => {
    const guard = serviceRouteGroup(app, ctx, 'memberships')

    app.get(profile.paths.memberships, {
      preHandler: [...guard([SCOPES.memberships]), requireAccept(MEDIA.membershipContainer)]
    }, async (request, reply) => {
      const { courseId, typeId: pathTypeId } = validate(paramsSchema, request.params)
      const typeId = deploymentOf(ctx, request, pathTypeId)
      const q = validate(querySchema, request.query)
      const course = ctx.state.courses.get(courseId)
      if (course === undefined) throw new SimulatorError(404, 'course not found', 'courseId')
      // rlid is accepted and echoed in paging links but does not narrow the list.
      const members = course.members.filter(m => listed(m) && (q.role === undefined || matchesRoleFilter(m.roles, q.role)))
      const url = serviceUrl(ctx, 'memberships', { courseId, typeId })
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
            ...(profile.observerScope && { lti11_legacy_user_id: legacyUserId(m.userId) }),
            ...(user !== undefined && {
              name: user.name, given_name: user.givenName, family_name: user.familyName, email: user.email
            })
          }
        })
      })
    })
  }
}
