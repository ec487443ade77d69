import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf, type RequireRole } from '../../auth/require-session'

const Me = z.object({
  user: z.object({ id: z.string(), name: z.string(), email: z.string() }),
  course: z.object({ id: z.string(), title: z.string(), label: z.string() }),
  role: z.enum(['instructor', 'mentor', 'student'])
})

/** Who the bearer of a session token is, in which course and role. */
export const apiMeRoutes: FastifyPluginAsync<{ requireRole: RequireRole }> = async (app, { requireRole }) => {
  app.withTypeProvider<ZodTypeProvider>().get('/api/v1/me', {
    schema: { tags: ['Session'], summary: 'The signed-in user, course and role', security: [{ session: [] }], response: { 200: Me } },
    preHandler: requireRole('instructor', 'mentor', 'student')
  }, async (request) => {
    const { user, course, role } = authOf(request)
    return {
      user: { id: String(user._id), name: user.name, email: user.email },
      course: { id: String(course._id), title: course.title, label: course.label },
      role
    }
  })
}
