import type { FastifyPluginAsync } from 'fastify'
import { completionApiRoutes, type CompletionRoutesOptions } from './api'
import { completionPageRoutes } from './pages'

/** Completion rules and progress: the JSON API and the instructor's Completion page. */
export const completionRoutes: FastifyPluginAsync<CompletionRoutesOptions> = async (app, options) => {
  await app.register(completionApiRoutes, options)
  await app.register(completionPageRoutes, options)
}
