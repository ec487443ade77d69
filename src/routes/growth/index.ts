import type { FastifyPluginAsync } from 'fastify'
import { growthApiRoutes } from './api'
import { feedbackRoutes } from './feedback'
import { assessmentPages } from './pages-assessments'
import { frameworkPages } from './pages-framework'
import { growthPages } from './pages-growth'
import { reportRoutes, type ReportRoutesOptions } from './pages-report'

/** Competencies, assessments, growth and the programme report: the JSON API and the pages of every role. */
export const growthRoutes: FastifyPluginAsync<ReportRoutesOptions> = async (app, options) => {
  for (const plugin of [growthApiRoutes, frameworkPages, assessmentPages, growthPages, reportRoutes, feedbackRoutes]) await app.register(plugin, options)
}
