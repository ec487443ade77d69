import type { FastifyPluginAsync } from 'fastify'
import { growthApiRoutes, type GrowthRoutesOptions } from './api'
import { assessmentPages } from './pages-assessments'
import { frameworkPages } from './pages-framework'
import { growthPages } from './pages-growth'

/** Competencies, assessments and growth: the JSON API and the pages of every role. */
export const growthRoutes: FastifyPluginAsync<GrowthRoutesOptions> = async (app, options) => {
  for (const plugin of [growthApiRoutes, frameworkPages, assessmentPages, growthPages]) await app.register(plugin, options)
}
