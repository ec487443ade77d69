import type { FastifyPluginAsync } from 'fastify'
import type { RequireRole } from '../../auth/require-session'
import type { PairingService } from '../../domain/pairing-workflow/pairing-service'
import type { PairingWorkflowRepository } from '../../persistence/repositories/pairing-workflow.repository'
import { pairingApiRoutes } from './api'
import { instructorPairingPages } from './pages-instructor'

export interface PairingRoutesOptions { requireRole: RequireRole, pairing: PairingService, store: PairingWorkflowRepository }

/** The instructor's pairing, as a page and as a JSON API. */
export const instructorPairingRoutes: FastifyPluginAsync<PairingRoutesOptions> = async (app, options) => {
  await app.register(instructorPairingPages, options)
  await app.register(pairingApiRoutes, options)
}
