import type { FastifyPluginAsync } from 'fastify'
import type { CourseTable } from '../../domain/progress/course-table'
import type { RequireRole } from '../../auth/require-session'
import type { MaintenanceReport } from '../../domain/pairing-workflow/pairing-maintenance'
import type { PairingService } from '../../domain/pairing-workflow/pairing-service'
import type { PairingWorkflowRepository } from '../../persistence/repositories/pairing-workflow.repository'
import { pairingApiRoutes } from './api'
import { instructorPairingPages } from './pages-instructor'

export interface PairingRoutesOptions {
  requireRole: RequireRole
  pairing: PairingService
  store: PairingWorkflowRepository
  /** The course table (read model): who takes part, for the page's readiness and names. */
  table: (courseId: string) => Promise<CourseTable>
  /** After publication: pairs the students left unpaired with the mentors who have room, moving nobody (refused before). */
  placeUnpaired: (courseId: string) => Promise<MaintenanceReport>
}

/** The instructor's pairing, as a page and as a JSON API. */
export const instructorPairingRoutes: FastifyPluginAsync<PairingRoutesOptions> = async (app, options) => {
  await app.register(instructorPairingPages, options)
  await app.register(pairingApiRoutes, options)
}
