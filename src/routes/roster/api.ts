import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf, type RequireRole } from '../../auth/require-session'
import type { RosterSync } from '../../domain/roster/roster-sync'
import { apiCommon, ErrorBody } from '../../http/schemas'
import { SyncCounts, SyncState, syncStateOf } from './schemas'

export interface ApiRosterOptions { requireRole: RequireRole, rosterSync: RosterSync }

const SyncResult = z.object({ status: z.literal('succeeded'), at: z.string(), counts: SyncCounts })

/** Roster sync from the LMS's Names and Role Provisioning Services, for the course's instructors. */
export const apiRosterRoutes: FastifyPluginAsync<ApiRosterOptions> = async (app, { requireRole, rosterSync }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const common = apiCommon('Roster')

  api.post('/api/v1/roster/sync', {
    schema: {
      ...common,
      summary: 'Sync the course roster from the LMS now and answer what changed',
      description: 'Reads every page of the Names and Roles roster. Members no longer listed, or listed as inactive, become dropped; nobody is deleted. 409 when the LMS offers no roster service or a sync is already running; 502 when the LMS fails.',
      response: { 200: SyncResult, 409: ErrorBody, 502: ErrorBody }
    },
    preHandler: requireRole('instructor')
  }, async (request) => {
    const result = await rosterSync.sync(String(authOf(request).course._id), 'api')
    return { status: result.status, at: result.at.toISOString(), counts: result.counts }
  })

  api.get('/api/v1/roster/sync', {
    schema: { ...common, summary: 'The running roster sync, if any, and the outcome of the last one', response: { 200: SyncState } },
    preHandler: requireRole('instructor')
  }, async (request) => {
    const { course } = authOf(request)
    return syncStateOf(await rosterSync.status(String(course._id)), Boolean(course.membershipsUrl))
  })
}
