import type { LowAnswer } from '../../domain/feedback/low-answers'
import type { FastifyPluginAsync } from 'fastify'
import type { CourseTable } from '../../domain/progress/course-table'
import type { RequireRole } from '../../auth/require-session'
import type { EventPublisher } from '../../domain/events/domain-events'
import type { MaintenanceReport } from '../../domain/pairing-workflow/pairing-maintenance'
import type { PairingHistoryStore } from '../../domain/pairing-workflow/pairing-history'
import type { PairingService } from '../../domain/pairing-workflow/pairing-service'
import type { PublishedPairing } from '../../domain/pairing-workflow/published-pairing'
import type { RematchRequests } from '../../domain/pairing-workflow/rematch-requests'
import type { PairingWorkflowRepository } from '../../persistence/repositories/pairing-workflow.repository'
import { pairingApiRoutes } from './api'
import { instructorPairingPages } from './pages-instructor'
import { publishedPairingPages } from './pages-published'
import { rematchRequestPages } from './pages-requests'

export interface PairingRoutesOptions {
  requireRole: RequireRole
  /** Whether students and mentors are emailed their pairing (email is on). */
  emailsPairings: boolean
  pairing: PairingService
  store: PairingWorkflowRepository
  /** The course table (read model): who takes part, for the page's readiness and names. */
  table: (courseId: string) => Promise<CourseTable>
  /** After publication: pairs the students left unpaired with the mentors who have room, moving nobody (refused before). */
  placeUnpaired: (courseId: string, byUserId: string) => Promise<MaintenanceReport>
  published: PublishedPairing
  rematch: RematchRequests
  history: PairingHistoryStore
  events: EventPublisher
  /** Low answers about students' sessions and pairings (2 or less), shown with their rematch requests. */
  lowAnswers: (courseId: string) => Promise<LowAnswer[]>
  /** Whether a signed-in mentor mentors the student now: a mentor asks only about their own mentees. */
  isMentorOf: (courseId: string, mentorUserId: string, studentId: string) => Promise<boolean>
  /** The students a signed-in mentor mentors now. */
  menteesOf: (courseId: string, mentorUserId: string) => Promise<string[]>
}

/** The instructor's pairing, as a page and as a JSON API, and the requests students and mentors make about it. */
export const instructorPairingRoutes: FastifyPluginAsync<PairingRoutesOptions> = async (app, options) => {
  await app.register(instructorPairingPages, options)
  await app.register(publishedPairingPages, options)
  await app.register(rematchRequestPages, options)
  await app.register(pairingApiRoutes, options)
}
