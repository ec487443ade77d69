import type { FastifyPluginAsync } from 'fastify'
import type { RequireRole } from '../../auth/require-session'
import { courseApiRoutes } from './api-course'
import { fieldTripApiRoutes } from './api-field-trips'
import { activityApiRoutes } from './api-records'
import { fieldTripManagePages } from './field-trip-manage-pages'
import { fieldTripPages } from './field-trip-pages'
import { recordFormRoutes } from './record-form-pages'
import { recordPages } from './record-pages'
import { reportPages } from './report-pages'
import type { ActivityServices } from '../../services'
import { termPage } from './term-page'
import { verificationPages } from './verification-pages'

export interface ActivityRoutesOptions { requireRole: RequireRole, services: ActivityServices }

/** Mentoring activities across the term: the JSON API and the pages of every role. */
export const activityRoutes: FastifyPluginAsync<ActivityRoutesOptions> = async (app, options) => {
  for (const plugin of [
    activityApiRoutes, fieldTripApiRoutes, courseApiRoutes,
    recordPages, recordFormRoutes, verificationPages, fieldTripPages, fieldTripManagePages, reportPages, termPage
  ]) await app.register(plugin, options)
}
