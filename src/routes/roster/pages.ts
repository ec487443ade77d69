import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf, type RequireRole } from '../../auth/require-session'
import type { RosterSync } from '../../domain/roster/roster-sync'
import { timeLabel } from '../../http/date-labels'
import { noticeQuery, noticeText, redirectWithNotice } from '../../http/forms'
import type { RosterMember, RosterRepository } from '../../persistence/repositories/roster.repository'
import { pageContext } from '../../http/page-context'
import { syncStateOf, type SyncState } from './schemas'

export interface RosterRoutesOptions { requireRole: RequireRole, rosterSync: RosterSync, roster: RosterRepository }

const NOTICES = {
  started: 'Roster sync started. Its progress shows below.',
  running: 'A roster sync of this course is already running. Its progress shows below.'
}

const PageQuery = noticeQuery(NOTICES)
const SyncForm = z.object({ session: z.string().min(1, 'is required: open this page from your course') })

const ROLE_LABELS = { instructor: 'Instructor', mentor: 'Mentor', student: 'Student' } as const
const STATUS_LABELS = { active: 'Active', dropped: 'Dropped' } as const
const PHASE_LABELS = { fetching: 'Reading the roster from the LMS', applying: 'Saving the changes' } as const

function syncView (state: SyncState) {
  const { progress, last } = state
  return {
    ...state,
    progress: progress && { ...progress, phaseLabel: PHASE_LABELS[progress.phase] },
    last: last && { ...last, when: timeLabel(last.at), ok: last.status === 'succeeded', statusLabel: last.status === 'succeeded' ? 'Succeeded' : 'Failed' }
  }
}

function countsByRole (members: RosterMember[]) {
  const count = (role: RosterMember['role'], status: RosterMember['status']) => members.filter((m) => m.role === role && m.status === status).length
  return (['student', 'mentor', 'instructor'] as const).map((role) => ({ label: `${ROLE_LABELS[role]}s`, active: count(role, 'active'), dropped: count(role, 'dropped') }))
}

/** The instructor's Roster page: who the course has, the last sync from the LMS, and a button to sync now. */
export const rosterRoutes: FastifyPluginAsync<RosterRoutesOptions> = async (app, { requireRole, rosterSync, roster }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()

  api.get('/instructor/roster', { schema: { hide: true, querystring: PageQuery }, preHandler: requireRole('instructor') }, async (request, reply) => {
    const auth = authOf(request)
    const courseId = auth.course._id
    const [status, members] = await Promise.all([rosterSync.status(String(courseId)), roster.listMembers(courseId)])
    return await reply.view('pages/roster', {
      ...pageContext(auth, 'Roster', 'roster'),
      notice: noticeText(NOTICES, request.query),
      sync: syncView(syncStateOf(status, Boolean(auth.course.membershipsUrl))),
      counts: countsByRole(members),
      members: members.map((m) => ({ ...m, roleLabel: ROLE_LABELS[m.role], statusLabel: STATUS_LABELS[m.status] }))
    })
  })

  api.post('/instructor/roster/sync', { schema: { hide: true, body: SyncForm }, preHandler: requireRole('instructor') }, async (request, reply) => {
    const auth = authOf(request)
    const outcome = await rosterSync.start(String(auth.course._id), 'manual')
    return await redirectWithNotice(reply, auth, '/instructor/roster', outcome)
  })
}
