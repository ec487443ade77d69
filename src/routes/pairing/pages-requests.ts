import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { authOf, type Auth } from '../../auth/require-session'
import { DomainError } from '../../domain/domain-error'
import { DOMAIN_STATUS } from '../../http/error-handler'
import { timeLabelsIn } from '../../http/date-labels'
import { FormBody, noticeQuery, noticeText, redirectWithNotice } from '../../http/forms'
import { pageContext } from '../../http/page-context'
import { objectIdString } from '../../http/schemas'
import type { PairingRoutesOptions } from './index'
import { RequestForm } from './schemas'

const NOTICES = { asked: 'Your request was sent to your instructor. Only they see your reason; their answer will appear here.' }
const PageQuery = noticeQuery(NOTICES).extend({ student: objectIdString.optional() })
const STATUS_WORDS = { open: 'Waiting for the instructor', accepted: 'Accepted', declined: 'Declined' } as const

/**
 * "Ask for a different pairing": a student about their own mentor, a mentor about one of their mentees. The reason
 * goes to the course's instructors only; the asker sees their requests and the instructor's answer here.
 */
export const rematchRequestPages: FastifyPluginAsync<PairingRoutesOptions> = async (app, { requireRole, rematch, store, table, isMentorOf }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const asker = requireRole('student', 'mentor')

  const render = async (reply: FastifyReply, auth: Auth, studentId: string | undefined, extra: { notice?: string, error?: string, reason?: string } = {}, status = 200) => {
    const courseId = String(auth.course._id)
    const isStudent = auth.role === 'student'
    const subject = isStudent ? String(auth.user._id) : studentId
    const [mine, active, mentorName, courseTable] = await Promise.all([
      rematch.madeBy(courseId, String(auth.user._id)), store.activeList(courseId), store.mentorNames(courseId), table(courseId)
    ])
    const current = active.find((p) => p.studentId === subject)
    const studentName = (id: string): string => courseTable.get(id)?.name || 'a student'
    return await reply.status(status).view('pages/rematch-request', {
      ...pageContext(auth, 'Ask for a different pairing', isStudent ? 'home' : 'mentees'),
      ...extra,
      isStudent,
      back: isStudent ? '/student' : `/mentor/mentees/${subject ?? ''}`,
      studentId: isStudent ? null : subject,
      student: subject ? studentName(subject) : null,
      mentor: current ? mentorName.get(current.mentorId) ?? 'your mentor' : null,
      waiting: mine.some((r) => r.status === 'open' && r.studentId === subject),
      requests: mine.map((r) => ({
        student: studentName(r.studentId),
        at: timeLabelsIn(auth.zone.zone).minute(r.createdAt),
        reason: r.reason,
        status: STATUS_WORDS[r.status],
        open: r.status === 'open',
        note: r.note
      }))
    })
  }

  api.get('/pairing/request', { schema: { hide: true, querystring: PageQuery }, preHandler: asker }, async (request, reply) => {
    const auth = authOf(request)
    const { student } = request.query
    if (auth.role === 'mentor' && (student === undefined || !await isMentorOf(String(auth.course._id), String(auth.user._id), student))) {
      throw new DomainError('NOT_FOUND', 'This student is not one of your mentees. Open this page from your list of mentees.')
    }
    return await render(reply, auth, request.query.student, { notice: noticeText(NOTICES, request.query) })
  })
  api.post('/pairing/request', { schema: { hide: true, body: FormBody }, preHandler: asker }, async (request, reply) => {
    const auth = authOf(request)
    const parsed = RequestForm.safeParse(request.body)
    const studentId = auth.role === 'student' ? String(auth.user._id) : parsed.success ? parsed.data.studentId : undefined
    if (!parsed.success) return await render(reply, auth, studentId, { error: parsed.error.issues[0]?.message }, 400)
    if (studentId === undefined) throw new DomainError('INVALID', 'Open this page from one of your mentees.')
    try {
      await rematch.ask(String(auth.course._id), { userId: String(auth.user._id), role: auth.role === 'student' ? 'student' : 'mentor' }, studentId, parsed.data.reason)
    } catch (err) {
      if (err instanceof DomainError && err.code !== 'FORBIDDEN') return await render(reply, auth, studentId, { error: err.message, reason: parsed.data.reason }, DOMAIN_STATUS[err.code])
      throw err
    }
    return await redirectWithNotice(reply, auth, `/pairing/request${auth.role === 'mentor' ? `?student=${studentId}` : ''}`, 'asked')
  })
}
