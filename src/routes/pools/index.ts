import type { FastifyPluginAsync } from 'fastify'
import { importPageRoutes } from './pages-import'
import { invitationPageRoutes } from './pages-invitations'
import { mentorApiRoutes, type PoolApiOptions } from './api'
import { mentorFormPageRoutes } from './pages-mentor-form'
import { poolActionsApiRoutes } from './api-pool-actions'
import { poolPageRoutes } from './pages'
import { ownProfilePageRoutes } from './pages-own-profile'
import { mentorPhotoRoutes } from './mentor-photo-route'

/** The mentor pool: instructor pages, the JSON API and external mentors' invitation links. */
export const poolRoutes: FastifyPluginAsync<PoolApiOptions> = async (app, options) => {
  await app.register(mentorApiRoutes, options)
  await app.register(poolActionsApiRoutes, options)
  await app.register(poolPageRoutes, options)
  await app.register(mentorFormPageRoutes, options)
  await app.register(importPageRoutes, options)
  await app.register(invitationPageRoutes, options)
  await app.register(ownProfilePageRoutes, options)
  await app.register(mentorPhotoRoutes, options)
}
