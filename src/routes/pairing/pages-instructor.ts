import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { authOf, type Auth } from '../../auth/require-session'
import { minuteText } from '../../http/date-labels'
import { noticeQuery, noticeText, redirectWithNotice } from '../../http/forms'
import { pageContext } from '../../http/page-context'
import { participantsOf } from '../../domain/progress/course-table'
import type { PairingRoutesOptions } from './index'
import { currentPairing, pairingPreview } from './preview-view'
import { AdjustBody, PublishForm, SessionBody, SettingsBody } from './schemas'

const NOTICES = {
  settings: 'Settings saved and pairing re-run.',
  run: 'Pairing run. Review the proposal below.',
  adjusted: 'Adjusted and re-run.',
  placed: (n: number) => `Paired ${n} ${n === 1 ? 'student who had' : 'students who had'} no mentor; nobody already paired moved. They are listed under Changes since publication.`,
  noneMore: 'Nobody more could be paired: no mentor with a free seat suits the students still without one. Add mentors or seats in the Mentor pool, then try again.',
  allPaired: 'Every student already has a mentor.',
  published: (n: number) => n === 0
    ? 'Published with nobody paired. Students enrolled or launching later are paired automatically once mentors have seats.'
    : `Published: ${n} ${n === 1 ? 'student now sees their' : 'students now see their'} mentor.`
}
const PageQuery = noticeQuery(NOTICES)

/** The instructor's pairing page: settings, run, preview with explanations, adjust (move, lock, forbid), publish. */
export const instructorPairingPages: FastifyPluginAsync<PairingRoutesOptions> = async (app, { requireRole, pairing, store, table, placeUnpaired }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const instructor = requireRole('instructor')
  const courseOf = (request: FastifyRequest): string => String(authOf(request).course._id)
  const back = async (reply: FastifyReply, auth: Auth, notice: keyof typeof NOTICES, extra?: Record<string, string>) =>
    await redirectWithNotice(reply, auth, '/instructor/pairing', notice, extra)

  api.get('/instructor/pairing', { schema: { hide: true, querystring: PageQuery }, preHandler: instructor }, async (request, reply) => {
    const auth = authOf(request)
    const courseId = String(auth.course._id)
    // Who takes part comes from the course table (read model), not from every membership of the course.
    const [plan, run, courseTable, changes] = await Promise.all([
      store.planOf(courseId), store.latestRun(courseId), table(courseId), store.changesSincePublication(courseId)
    ])
    const participants = await participantsOf(async () => courseTable)(courseId)
    const [readiness, mentorName] = await Promise.all([
      store.readiness(courseId, participants.map((p) => p.userId)),
      changes.length > 0 ? store.mentorNames(courseId) : new Map<string, string>()
    ])
    const studentName = new Map(participants.map((p) => [p.userId, p.name]))
    const previewNow = (r: NonNullable<typeof run>, p: typeof plan) => {
      const preview = pairingPreview(r, p)
      if (!p.publishedAt || changes.length === 0) return preview
      return currentPairing(preview, participants.map((x) => ({ ...x, mentorId: courseTable.get(x.userId)?.mentorId ?? null })), mentorName)
    }
    return await reply.view('pages/instructor-pairing', {
      ...pageContext(auth, 'Pairing', 'pairing'),
      notice: noticeText(NOTICES, request.query),
      plan: { ...plan, reservePercent: Math.round(plan.reserveFraction * 100), isStable: plan.method === 'stable' },
      readiness,
      withoutIntake: readiness.missing.map((id) => studentName.get(id) ?? 'A student').sort((a, b) => a.localeCompare(b)),
      preview: run ? previewNow(run, plan) : null,
      changes: changes.map((c) => ({
        student: studentName.get(c.studentId) ?? 'A former student',
        mentor: c.status === 'released' ? '—' : mentorName.get(c.mentorId) ?? '',
        previous: mentorName.get(c.previousMentorId) ?? '—',
        what: c.status === 'released' ? 'Released' : c.source === 'late-enrolment' ? 'Paired after publication' : 'Re-paired',
        reason: c.reason,
        at: c.at && minuteText(c.at)
      }))
    })
  })

  api.post('/instructor/pairing/settings', { schema: { hide: true, body: SettingsBody }, preHandler: instructor }, async (request, reply) => {
    const { method, balanceLoad, differentOrganisation, reservePercent, seed } = request.body
    await pairing.saveSettings(courseOf(request), String(authOf(request).user._id), { method, balanceLoad, differentOrganisation, reserveFraction: reservePercent / 100, seed })
    return await back(reply, authOf(request), 'settings')
  })
  api.post('/instructor/pairing/run', { schema: { hide: true }, preHandler: instructor }, async (request, reply) => {
    await pairing.run(courseOf(request), String(authOf(request).user._id))
    return await back(reply, authOf(request), 'run')
  })
  api.post('/instructor/pairing/adjust', { schema: { hide: true, body: AdjustBody }, preHandler: instructor }, async (request, reply) => {
    const { action, studentId, mentorId } = request.body
    await pairing.adjust(courseOf(request), String(authOf(request).user._id), { action, studentId, mentorId })
    return await back(reply, authOf(request), 'adjusted')
  })
  api.post('/instructor/pairing/place-unpaired', { schema: { hide: true, body: SessionBody }, preHandler: instructor }, async (request, reply) => {
    const report = await placeUnpaired(courseOf(request))
    if (report.placed.length > 0) return await back(reply, authOf(request), 'placed', { n: String(report.placed.length) })
    return await back(reply, authOf(request), report.unplaced.length > 0 ? 'noneMore' : 'allPaired')
  })
  api.post('/instructor/pairing/publish', { schema: { hide: true, body: PublishForm }, preHandler: instructor }, async (request, reply) => {
    const created = await pairing.publish(courseOf(request), request.body.runId, { allowEmpty: request.body.allowEmpty })
    return await back(reply, authOf(request), 'published', { n: String(created) })
  })
}
