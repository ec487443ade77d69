import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf, type Auth, type RequireRole } from '../../auth/require-session'
import { reportRows } from '../../domain/activities/course-report'
import type { Id } from '../../domain/ids'
import { Errors } from '../../errors'
import { objectIdString } from '../../http/schemas'
import { pageContext } from '../../http/page-context'
import { noticeOf, PageQuery } from './form-page'
import type { ActivityServices } from '../../services'
import { actorOf, poolIdOf } from './actor'
import { studentRecordView } from './student-record-view'

export interface RecordPagesOptions { requireRole: RequireRole, services: ActivityServices }

const StudentParams = z.object({ studentId: objectIdString })

/** One student's mentoring record, for the student, their mentor and the course's instructors; and a mentor's mentees. */
export const recordPages: FastifyPluginAsync<RecordPagesOptions> = async (app, { requireRole, services }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()

  const render = async (auth: Auth, student: Id, heading: string, nav: string, notice?: string) => ({
    ...pageContext(auth, heading, nav),
    heading,
    notice: noticeOf(notice),
    term: actorOf(auth).term,
    record: await studentRecordView(services, auth, student)
  })

  api.get('/student/activities', { schema: { hide: true, querystring: PageQuery }, preHandler: requireRole('student') }, async (request, reply) => {
    const auth = authOf(request)
    return await reply.view('pages/student-record', {
      ...await render(auth, actorOf(auth).userId, 'Your mentoring record', 'activities', request.query.notice),
      lead: 'Log your sessions and observed meetings for your mentor to verify, keep your goals and contacts, and reflect on what you learn.'
    })
  })

  /** A student of the course the viewer may see, by id; 404 otherwise (including ids from other courses). */
  const studentOf = async (auth: Auth, studentId: string) => {
    const actor = actorOf(auth)
    const name = (await services.studentNames(actor.courseId)).get(studentId)
    if (name === undefined || !(await services.access.canSee(actor, studentId))) throw Errors.notFound('Student')
    return { id: studentId, name }
  }

  api.get('/mentor/mentees/:studentId', { schema: { hide: true, params: StudentParams, querystring: PageQuery }, preHandler: requireRole('mentor') }, async (request, reply) => {
    const auth = authOf(request)
    const { id, name } = await studentOf(auth, request.params.studentId)
    return await reply.view('pages/student-record', { ...await render(auth, id, `Mentee: ${name}`, 'mentees', request.query.notice), rematchHref: `/pairing/request?student=${id}`, growthHref: `/mentor/mentees/${id}/assessments` })
  })

  api.get('/instructor/students/:studentId', { schema: { hide: true, params: StudentParams, querystring: PageQuery }, preHandler: requireRole('instructor') }, async (request, reply) => {
    const auth = authOf(request)
    const { id, name } = await studentOf(auth, request.params.studentId)
    return await reply.view('pages/student-record', { ...await render(auth, id, `Student: ${name}`, 'activities', request.query.notice), growthHref: `/instructor/students/${id}/growth` })
  })

  api.get('/mentor/mentees', { schema: { hide: true, querystring: PageQuery }, preHandler: requireRole('mentor') }, async (request, reply) => {
    const auth = authOf(request)
    const mentees = await services.access.studentsOf(actorOf(auth))
    const ids = new Set(mentees === 'all' ? [] : mentees)
    const { students } = await services.progress.students(String(auth.course._id), poolIdOf(auth))
    const rows = reportRows(students.filter((s) => ids.has(s.userId)), await services.progress.input(String(auth.course._id), mentees))
    return await reply.view('pages/mentees', {
      ...pageContext(auth, 'Your mentees', 'mentees'),
      notice: noticeOf(request.query.notice),
      mentees: rows.map((r) => ({ ...r, href: `/mentor/mentees/${r.userId}`, goals: r.progress.goalsSet.short + r.progress.goalsSet.long }))
    })
  })
}
