import type { FastifyPluginAsync } from 'fastify'
import { growthApiRoutes, type GrowthRoutesOptions } from './api'

/** Competencies, assessments and growth: the JSON API and the pages of every role. */
export const growthRoutes: FastifyPluginAsync<GrowthRoutesOptions> = async (app, options) => {
  for (const plugin of [growthApiRoutes]) await app.register(plugin, options)
}
