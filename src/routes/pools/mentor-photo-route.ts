import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf } from '../../auth/require-session'
import { Errors } from '../../errors'
import type { PoolApiOptions } from './api'

const Params = z.object({ mentorId: z.string().regex(/^[a-f0-9]{24}$/, 'is not a mentor of Mentorlink') })

/** A mentor's photo, for anyone signed in to a course the mentor's pool serves. */
export const mentorPhotoRoutes: FastifyPluginAsync<PoolApiOptions> = async (app, { requireRole, pools: { photos } }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  api.get('/mentor-photos/:mentorId', { schema: { hide: true, params: Params }, preHandler: requireRole('student', 'mentor', 'instructor') }, async (request, reply) => {
    const { course } = authOf(request)
    const photo = await photos.visible(course.poolId ? String(course.poolId) : null, request.params.mentorId)
    if (photo === null) throw Errors.notFound('Photo')
    // The address changes with each new photo (?v=), so the browser may keep this one.
    return await reply.type(photo.type).header('cache-control', 'private, max-age=86400').send(Buffer.from(photo.data))
  })
}
