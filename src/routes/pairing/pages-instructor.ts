import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { authOf } from '../../auth/require-session'
import { DomainError } from '../../domain/domain-error'
import { participantsOf } from '../../domain/progress/course-table'
import { AppError } from '../../errors'
import { FormBody, noticeQuery, noticeText } from '../../http/forms'
import type { PairingRoutesOptions } from './index'
import { PAIRING_NOTICES } from './notices'
import { pageAction } from './page-actions'
import { pairingPage } from './pairing-page'
import { AdjustBody, PublishForm, RemindForm, SessionBody, SettingsBody } from './schemas'

const PageQuery = noticeQuery(PAIRING_NOTICES)

/** The instructor's pairing page: settings, run, preview with explanations, adjust (move, lock, forbid) with undo, publish. */
export const instructorPairingPages: FastifyPluginAsync<PairingRoutesOptions> = async (app, options) => {
  const { requireRole, pairing, store, table, events } = options
  const api = app.withTypeProvider<ZodTypeProvider>()
  const instructor = requireRole('instructor')
  const act = pageAction(options)
  const courseOf = (request: FastifyRequest): string => String(authOf(request).course._id)
  const userOf = (request: FastifyRequest): string => String(authOf(request).user._id)
  // Forms are judged by their own schema inside the action, so a refusal is shown on the page, not as an error page.
  const form = { schema: { hide: true, body: FormBody }, preHandler: instructor }

  api.get('/instructor/pairing', { schema: { hide: true, querystring: PageQuery }, preHandler: instructor }, async (request, reply) =>
    await reply.view('pages/instructor-pairing', await pairingPage(options, authOf(request), { notice: noticeText(PAIRING_NOTICES, request.query), adjusted: request.query.notice === 'adjusted' })))

  api.post('/instructor/pairing/settings', form, async (request, reply) => await act(request, reply, SettingsBody, async (body) => {
    const { method, balanceLoad, differentOrganisation, reservePercent, seed } = body
    await pairing.saveSettings(courseOf(request), userOf(request), { method, balanceLoad, differentOrganisation, reserveFraction: reservePercent / 100, seed })
    return { notice: 'settings', anchor: 'pairs-title' }
  }))
  api.post('/instructor/pairing/run', form, async (request, reply) => await act(request, reply, SessionBody, async () => {
    await pairing.run(courseOf(request), userOf(request))
    return { notice: 'run', anchor: 'pairs-title' }
  }))
  api.post('/instructor/pairing/adjust', form, async (request, reply) => await act(request, reply, AdjustBody, async ({ action, studentId, mentorId }) => {
    const courseId = courseOf(request)
    const [courseTable, mentors] = await Promise.all([table(courseId), store.mentorNames(courseId)])
    const names = { student: courseTable.get(studentId)?.name ?? 'a student', mentor: mentors.get(mentorId) ?? 'a mentor' }
    await pairing.adjust(courseId, userOf(request), { action, studentId, mentorId }, names)
    return { notice: 'adjusted', anchor: action === 'unforbid' ? 'forbidden-title' : `pair-${studentId}` }
  }))
  api.post('/instructor/pairing/undo', form, async (request, reply) => await act(request, reply, SessionBody, async () => {
    await pairing.undo(courseOf(request), userOf(request))
    return { notice: 'undone', anchor: 'pairs-title' }
  }))
  api.post('/instructor/pairing/remind', form, async (request, reply) => await act(request, reply, RemindForm, async () => {
    const courseId = courseOf(request)
    const students = await participantsOf(table)(courseId)
    const { missing } = await store.readiness(courseId, students.map((p) => p.userId))
    if (missing.length === 0) throw new DomainError('CONFLICT', 'Every student has said something in their intake: nobody to remind.')
    await events.publish({ type: 'IntakeReminderRequested', courseId, byUserId: userOf(request), studentUserIds: missing })
    return { notice: 'reminded', n: missing.length, anchor: 'ready-title' }
  }))
  api.post('/instructor/pairing/publish', form, async (request, reply) => await act(request, reply, PublishForm, async ({ runId, allowEmpty }) => {
    try {
      const created = await pairing.publish(courseOf(request), runId, { allowEmpty, byUserId: userOf(request) })
      return { notice: 'published', n: created }
    } catch (err) {
      if (err instanceof DomainError || err instanceof AppError) throw err
      request.log.error({ err }, 'publication interrupted')
      throw new AppError('PUBLICATION_INTERRUPTED', 503, 'Publishing stopped before it finished because of a problem on our side. Students and mentors see no change yet. Open the Pairing page again and publish once more to finish; nobody will be paired twice.')
    }
  }))
}
