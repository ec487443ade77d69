import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf, type RequireRole } from '../../auth/require-session'
import type { SessionService } from '../../auth/session-service'
import { isTimeZone, ZONE_SOURCES } from '../../domain/time/zones'

const Me = z.object({
  user: z.object({ id: z.string(), name: z.string(), email: z.string() }),
  course: z.object({ id: z.string(), title: z.string(), label: z.string() }),
  role: z.enum(['instructor', 'mentor', 'student']),
  timeZone: z.object({ zone: z.string(), from: z.enum(ZONE_SOURCES) }).describe('The zone times are shown in, and where it came from')
})

const BrowserZone = z.strictObject({
  session: z.string().optional(),
  timeZone: z.string({ error: 'is required' }).trim().refine(isTimeZone, 'must be a time zone such as Europe/Berlin')
})

/** Who the bearer of a session token is, in which course and role. */
export const apiMeRoutes: FastifyPluginAsync<{ requireRole: RequireRole, sessions: SessionService }> = async (app, { requireRole, sessions }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const anyone = requireRole('instructor', 'mentor', 'student')
  api.get('/api/v1/me', {
    schema: { tags: ['Session'], summary: 'The signed-in user, course and role', security: [{ session: [] }], response: { 200: Me } },
    preHandler: anyone
  }, async (request) => {
    const { user, course, role, zone } = authOf(request)
    return {
      user: { id: String(user._id), name: user.name, email: user.email },
      course: { id: String(course._id), title: course.title, label: course.label },
      role,
      timeZone: zone
    }
  })

  // Pages call this once when the browser's zone differs from the one they showed (static/js/time-zone.js).
  api.post('/api/v1/me/time-zone', {
    schema: { tags: ['Session'], summary: 'Tell Mentorlink the browser\'s time zone (used when the LMS sends none)', security: [{ session: [] }], body: BrowserZone, response: { 204: z.null() } },
    preHandler: anyone
  }, async (request, reply) => {
    await sessions.rememberBrowserZone(authOf(request).token, request.body.timeZone)
    return await reply.status(204).send(null)
  })
}
