import type { FastifyPluginAsync } from 'fastify'
import { importPageRoutes } from './import-pages'
import { invitationPageRoutes } from './invitation-pages'
import { mentorApiRoutes, type PoolApiOptions } from './mentor-api'
import { mentorFormPageRoutes } from './mentor-form-pages'
import { poolActionsApiRoutes } from './pool-actions-api'
import { poolPageRoutes } from './pool-pages'

/** The mentor pool: instructor pages, the JSON API and external mentors' invitation links. */
export const poolRoutes: FastifyPluginAsync<PoolApiOptions> = async (app, options) => {
  await app.register(mentorApiRoutes, options)
  await app.register(poolActionsApiRoutes, options)
  await app.register(poolPageRoutes, options)
  await app.register(mentorFormPageRoutes, options)
  await app.register(importPageRoutes, options)
  await app.register(invitationPageRoutes, options)
}
