import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf, type RequireRole } from '../../auth/require-session'
import type { RosterSync } from '../../domain/roster/roster-sync'
import { timeLabelsIn, type TimeLabels } from '../../http/date-labels'
import { noticeQuery, noticeText, redirectWithNotice } from '../../http/forms'
import type { CourseRole } from '../../domain/launch/roles'
import type { Id } from '../../domain/ids'
import type { CourseTable } from '../../domain/progress/course-table'
import { pageContext } from '../../http/page-context'
import type { MailFailure } from '../../domain/notifications/ports'
import { pageOf, PageNumber, pagerOf } from '../../http/pagination'
import { syncStateOf, type SyncState } from './schemas'

export interface RosterRoutesOptions {
  requireRole: RequireRole
  rosterSync: RosterSync
  /** The course table of the progress read model: every member, active or dropped, read in a few documents. */
  table: (courseId: Id) => Promise<CourseTable>
  /** The course's emails that will not arrive, newest first. */
  mailFailures: (courseId: Id) => Promise<MailFailure[]>
}

interface Member { name: string, email: string, role: CourseRole, status: 'active' | 'dropped' }

const NOTICES = {
  started: 'Roster sync started. Its progress shows below.',
  running: 'A roster sync of this course is already running. Its progress shows below.'
}

const PageQuery = noticeQuery(NOTICES).extend({ page: PageNumber })
const SyncForm = z.object({ session: z.string().min(1, 'is required: open this page from your course') })

const ROLE_LABELS = { instructor: 'Instructor', mentor: 'Mentor', student: 'Student' } as const
const STATUS_LABELS = { active: 'Active', dropped: 'Dropped' } as const
const PHASE_LABELS = { fetching: 'Reading the roster from the LMS', applying: 'Saving the changes' } as const

function syncView (state: SyncState, labels: TimeLabels) {
  const { progress, last } = state
  return {
    ...state,
    progress: progress && { ...progress, phaseLabel: PHASE_LABELS[progress.phase] },
    last: last && { ...last, when: labels.time(last.at), ok: last.status === 'succeeded', statusLabel: last.status === 'succeeded' ? 'Succeeded' : 'Failed' }
  }
}

const STATUS_ORDER = { active: 0, dropped: 1 } as const
const UNDELIVERED_SHOWN = 50
const ROLE_ORDER = { instructor: 0, mentor: 1, student: 2 } as const

/** Active members first, then by role (instructors, mentors, students) and name. */
const membersOf = (table: CourseTable): Member[] => [...table.values()]
  .map((row): Member => ({ name: row.name, email: row.email, role: row.role, status: row.active ? 'active' : 'dropped' }))
  .sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.name.localeCompare(b.name))

function countsByRole (members: Member[]) {
  const count = (role: CourseRole, status: Member['status']) => members.filter((m) => m.role === role && m.status === status).length
  return (['student', 'mentor', 'instructor'] as const).map((role) => ({ label: `${ROLE_LABELS[role]}s`, active: count(role, 'active'), dropped: count(role, 'dropped') }))
}

/** The instructor's Roster page: who the course has, the last sync from the LMS, and a button to sync now. */
export const rosterRoutes: FastifyPluginAsync<RosterRoutesOptions> = async (app, { requireRole, rosterSync, table, mailFailures }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()

  api.get('/instructor/roster', { schema: { hide: true, querystring: PageQuery }, preHandler: requireRole('instructor') }, async (request, reply) => {
    const auth = authOf(request)
    const courseId = auth.course._id
    const labels = timeLabelsIn(auth.zone.zone)
    const [status, members, undelivered] = await Promise.all([rosterSync.status(String(courseId)), table(String(courseId)).then(membersOf), mailFailures(String(courseId))])
    const page = pagerOf(pageOf(members, request.query.page), '/instructor/roster', {}, 'members-title')
    return await reply.view('pages/roster', {
      ...pageContext(auth, 'Roster', 'roster'),
      notice: noticeText(NOTICES, request.query),
      sync: syncView(syncStateOf(status, Boolean(auth.course.membershipsUrl)), labels),
      counts: countsByRole(members),
      pager: page,
      members: page.rows.map((m) => ({ ...m, roleLabel: ROLE_LABELS[m.role], statusLabel: STATUS_LABELS[m.status] })),
      undelivered: undelivered.slice(0, UNDELIVERED_SHOWN).map((f) => ({
        to: f.to, subject: f.subject, when: labels.time(f.at), reason: f.state === 'uncertain' ? `Unknown: ${f.error}` : f.error
      })),
      undeliveredMore: Math.max(0, undelivered.length - UNDELIVERED_SHOWN)
    })
  })

  api.post('/instructor/roster/sync', { schema: { hide: true, body: SyncForm }, preHandler: requireRole('instructor') }, async (request, reply) => {
    const auth = authOf(request)
    const outcome = await rosterSync.start(String(auth.course._id), 'manual')
    return await redirectWithNotice(reply, auth, '/instructor/roster', outcome)
  })
}
