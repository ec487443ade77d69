import type { FastifyPluginAsync } from 'fastify'
import type { RequireRole } from '../../auth/require-session'
import { bookingApiRoutes } from './api-bookings'
import { courseApiRoutes } from './api-course'
import { bookingPages } from './pages-booking'
import { fieldTripApiRoutes } from './api-field-trips'
import { activityApiRoutes } from './api-records'
import { fieldTripManagePages } from './pages-field-trip-manage'
import { fieldTripPages } from './pages-field-trips'
import { recordFormRoutes } from './pages-record-forms'
import { recordPages } from './pages-records'
import { reportPages } from './pages-reports'
import { termPage } from './pages-term'
import { verificationPages } from './pages-verifications'
import type { ActivityServices } from '../../services'

export interface ActivityRoutesOptions { requireRole: RequireRole, services: ActivityServices }

/** Mentoring activities across the term: the JSON API and the pages of every role. */
export const activityRoutes: FastifyPluginAsync<ActivityRoutesOptions> = async (app, options) => {
  for (const plugin of [
    activityApiRoutes, fieldTripApiRoutes, courseApiRoutes, bookingApiRoutes,
    recordPages, recordFormRoutes, verificationPages, fieldTripPages, fieldTripManagePages, reportPages, termPage, bookingPages
  ]) await app.register(plugin, options)
}
