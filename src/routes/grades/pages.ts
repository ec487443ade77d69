import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf } from '../../auth/require-session'
import { timeLabelsIn } from '../../http/date-labels'
import { noticeQuery, noticeText, redirectWithNotice } from '../../http/forms'
import { objectIdString } from '../../http/schemas'
import { pageContext } from '../../http/page-context'
import { pageOf, PageNumber, pagerOf } from '../../http/pagination'
import type { GradeRoutesOptions } from './api'
import { gradeStatus, SYNC_STATES, type SyncState } from './grade-status'

const STATE_LABELS: Record<SyncState, { label: string, css: string }> = {
  synced: { label: 'Synced', css: 'done' },
  pending: { label: 'Waiting to send', css: 'todo' },
  sending: { label: 'Sending', css: 'todo' },
  failed: { label: 'Failed', css: 'blocked' },
  'not-queued': { label: 'Not sent yet', css: 'todo' }
}
const NOTICES = {
  retried: 'Failed and waiting scores are being sent again.',
  synced: 'Every student was recomputed; their scores are on their way to the gradebook.',
  nothing: 'There was nothing to send again.',
  later: 'The gradebook could not be reached just now; Mentorlink tries again shortly.',
  running: 'A recompute of this course was already running; the scores that changed are sent as soon as it finishes.'
}

const PageQuery = noticeQuery(NOTICES).extend({
  state: z.preprocess((v) => v === '' ? undefined : v, z.enum(SYNC_STATES, { error: 'Show synced, pending, sending, failed or not-queued scores' }).optional()),
  page: PageNumber
})
const SessionForm = z.object({ session: z.string().min(1, 'is required: open this page from your course') })
const RetryForm = SessionForm.extend({ studentUserId: objectIdString.optional() })

/** The instructor's Grades page: where each score stands in the LMS gradebook, with retry and send-again buttons. */
export const gradePageRoutes: FastifyPluginAsync<GradeRoutesOptions> = async (app, { requireRole, status, outbox, publisher, kick }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const instructor = requireRole('instructor')

  api.get('/instructor/grades', { schema: { hide: true, querystring: PageQuery }, preHandler: instructor }, async (request, reply) => {
    const auth = authOf(request)
    const state = await gradeStatus(status, auth.course)
    const { second: secondLabel } = timeLabelsIn(auth.zone.zone)
    const shown = request.query.state
    const page = pagerOf(pageOf(shown === undefined ? state.students : state.students.filter((s) => s.state === shown), request.query.page), '/instructor/grades', { state: shown }, 'students-title')
    return await reply.view('pages/grades', {
      ...pageContext(auth, 'Grades', 'grades'),
      notice: noticeText(NOTICES, request.query),
      ...state,
      pager: page,
      filtered: shown !== undefined,
      stateOptions: [{ value: '', label: `Every state (${state.students.length})` }, ...SYNC_STATES.map((s) => ({ value: s, label: `${STATE_LABELS[s].label} (${state.counts[s]})` }))].map((o) => ({ ...o, selected: o.value === (shown ?? '') })),
      students: page.rows.map((s) => ({ ...s, ...STATE_LABELS[s.state], syncedAtLabel: s.syncedAt && secondLabel(s.syncedAt), nextAttemptLabel: s.nextAttemptAt && secondLabel(s.nextAttemptAt), retryable: s.state === 'failed' || s.state === 'pending' })),
      errors: state.errors.map((e) => ({ ...e, atLabel: secondLabel(e.at) })),
      lineItemGone: state.lineItemGone && { ...state.lineItemGone, atLabel: secondLabel(state.lineItemGone.at) },
      anyRetryable: state.counts.failed + state.counts.pending > 0
    })
  })

  api.post('/instructor/grades/retry', { schema: { hide: true, body: RetryForm }, preHandler: instructor }, async (request, reply) => {
    const auth = authOf(request)
    const { studentUserId } = request.body
    const retried = await outbox.retry(String(auth.course._id), studentUserId)
    if (retried > 0) kick()
    return await redirectWithNotice(reply, auth, '/instructor/grades', retried > 0 ? 'retried' : 'nothing')
  })

  api.post('/instructor/grades/sync', { schema: { hide: true, body: SessionForm }, preHandler: instructor }, async (request, reply) => {
    const auth = authOf(request)
    const result = await publisher.recompute(String(auth.course._id), undefined, { force: true })
    return await redirectWithNotice(reply, auth, '/instructor/grades', result.status === 'failed' ? 'later' : result.status === 'queued' ? 'running' : 'synced')
  })
}
