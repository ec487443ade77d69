import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf, type Auth } from '../../auth/require-session'
import type { FieldError } from '../../domain/activities/field-error'
import { PointKeyText } from '../../domain/competencies/assessment-fields'
import { POINT_KEYS, POINT_LABELS, type PointKey } from '../../domain/competencies/vocabulary'
import type { Id } from '../../domain/ids'
import { FormBody, noticeQuery, noticeText, redirectWithNotice, submit } from '../../http/forms'
import { pageContext } from '../../http/page-context'
import { objectIdString } from '../../http/schemas'
import { AssessmentInput } from '../../domain/competencies/assessment-fields'
import { actorOf } from '../activities/actor'
import type { GrowthRoutesOptions } from './api'
import { assessmentPage, type FormState } from './assessment-view'

const NOTICES = {
  submitted: 'Submitted. Your ratings are final; the other side\'s appear here once both are in.',
  revealed: 'Submitted. Your ratings are final, and both sides are in: the other side\'s ratings are shown below yours.'
}
const PageQuery = noticeQuery(NOTICES)
const StudentParams = z.object({ id: objectIdString })
const PointParams = z.object({ point: PointKeyText })
const StudentPointParams = StudentParams.extend({ point: PointKeyText })

const text = (body: FormBody, name: string): string => { const v = body[name]; return typeof v === 'string' ? v : '' }

/**
 * The assessment pages: a student's own (rate yourself, see your mentor's once yours is in), a mentor's list of
 * mentees and each mentee's page, and the instructor's view of one student's growth.
 */
export const assessmentPages: FastifyPluginAsync<GrowthRoutesOptions> = async (app, { requireRole, growth }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const { frameworks, assessments } = growth

  const nameOf = async (courseId: Id, userId: Id): Promise<string> => {
    const row = (await growth.table(courseId)).get(userId)
    return row?.name || row?.email || 'Unnamed'
  }

  const render = async (reply: FastifyReply, auth: Auth, studentUserId: Id, refused?: FormState, notice?: string) => {
    const actor = actorOf(auth)
    const [framework, views, studentName] = await Promise.all([frameworks.current(actor.courseId), assessments.view(actor, studentUserId), nameOf(actor.courseId, studentUserId)])
    const page = assessmentPage(auth.role, framework, views, {
      studentName,
      // The point's anchor: a refused form answers on its own point, not three forms up the page.
      ...(auth.role === 'student' ? { formAction: (p: PointKey) => `/student/assessments/${p}#point-${p}` } : {}),
      ...(auth.role === 'mentor' ? { formAction: (p: PointKey) => `/mentor/mentees/${studentUserId}/assessments/${p}#point-${p}` } : {}),
      ...(refused ? { refused } : {})
    })
    const heading = auth.role === 'student' ? 'Assessments' : auth.role === 'mentor' ? `Assessments of ${studentName}` : `Growth of ${studentName}`
    const lead = auth.role === 'student'
      ? 'At the start, mid-term and end of the term you rate yourself on each competency, and your mentor rates you. You see your mentor\'s ratings once you have submitted your own.'
      : auth.role === 'mentor'
        ? `Rate ${studentName} on each competency at each point. You see their self-assessment once you have submitted yours.`
        : `${studentName}'s self-assessments and their mentor's ratings at each point.`
    return await reply.code(refused ? (refused.errors.some((e) => e.field === '(form)') ? 409 : 400) : 200).view('pages/assessments', {
      ...pageContext(auth, refused ? `Error: ${heading}` : heading, auth.role === 'instructor' ? 'growth' : 'assessments'),
      heading, lead, notice,
      // Problems of the whole submission (already submitted, not open yet, the competencies changed): above the points.
      problems: (refused?.errors ?? []).filter((e) => !/^ratings\.[a-z0-9-]+$/.test(e.field)).map((e) => e.field === 'point' ? `${POINT_LABELS[refused?.point ?? 'start']}: ${e.message}` : e.message),
      formTitle: auth.role === 'student' ? 'Rate yourself' : `Rate ${studentName}`,
      growthTitle: auth.role === 'student' ? 'Your growth' : `${studentName}'s growth`,
      ...page,
      growth: page
    })
  }

  /** Reads the form, judges it with the API's schema and the service, and answers the page again with any problem by its competency. */
  const rate = async (reply: FastifyReply, auth: Auth, point: PointKey, studentUserId: Id, back: string) => {
    const body = (reply.request.body ?? {}) as FormBody
    const framework = await frameworks.current(String(auth.course._id))
    const levels = Object.fromEntries(framework.competencies.map((c) => [c.key, text(body, `level-${c.key}`)]))
    const comments = Object.fromEntries(framework.competencies.map((c) => [c.key, text(body, `comment-${c.key}`)]))
    const unrated: FieldError[] = framework.competencies.filter((c) => levels[c.key] === '').map((c) => ({ field: `ratings.${c.key}`, message: `${c.name}: choose a level from 1 to 5` }))
    const input = {
      ...(auth.role === 'mentor' ? { studentUserId } : {}),
      point,
      frameworkRevision: Number(text(body, 'frameworkRevision')),
      ratings: framework.competencies.filter((c) => levels[c.key] !== '').map((c) => ({ competency: c.key, level: Number(levels[c.key]), comment: comments[c.key] ?? '' }))
    }
    const refused = unrated.length > 0 ? { errors: unrated, status: 400 } : await submit(AssessmentInput, input, async (data) => await assessments.submit(actorOf(auth), data))
    if (refused) {
      // A level that is no number 1–5 (a tampered form) is named by its competency like a missing one.
      const errors = refused.errors.map((e) => {
        const index = /^ratings\.(\d+)\./.exec(e.field)?.[1]
        const c = index === undefined ? undefined : framework.competencies.find((x) => x.key === input.ratings[Number(index)]?.competency)
        return c ? { field: `ratings.${c.key}`, message: `${c.name}: ${e.message}` } : e
      })
      return await render(reply, auth, studentUserId, { point, levels, comments, errors })
    }
    const other = auth.role === 'student' ? 'mentor' : 'self'
    const revealed = (await assessments.view(actorOf(auth), studentUserId)).find((v) => v.point.key === point)?.[other].submitted === true
    return await redirectWithNotice(reply, auth, `${back}#point-${point}`, revealed ? 'revealed' : 'submitted')
  }

  const student = requireRole('student')
  api.get('/student/assessments', { schema: { hide: true, querystring: PageQuery }, preHandler: student }, async (request, reply) => {
    const auth = authOf(request)
    return await render(reply, auth, String(auth.user._id), undefined, noticeText(NOTICES, request.query))
  })
  api.post('/student/assessments/:point', { schema: { hide: true, params: PointParams, body: FormBody }, preHandler: student }, async (request, reply) => {
    const auth = authOf(request)
    return await rate(reply, auth, request.params.point, String(auth.user._id), '/student/assessments')
  })

  const mentor = requireRole('mentor')
  api.get('/mentor/assessments', { schema: { hide: true }, preHandler: mentor }, async (request, reply) => {
    const auth = authOf(request)
    const actor = actorOf(auth)
    const [mentees, table] = await Promise.all([growth.menteesOf(actor.courseId, actor.userId), growth.table(actor.courseId)])
    const rows = await Promise.all(mentees.map(async (id) => {
      const views = await assessments.view(actor, id)
      const row = table.get(id)
      return {
        name: row?.name || row?.email || 'Unnamed',
        href: `/mentor/mentees/${id}/assessments`,
        points: views.map((v) => v.mentor.submitted ? 'Rated' : v.state === 'upcoming' ? `Opens ${v.point.opens}` : v.state === 'overdue' ? 'Not rated: overdue' : 'To rate')
      }
    }))
    rows.sort((a, b) => a.name.localeCompare(b.name))
    return await reply.view('pages/mentor-assessments', {
      ...pageContext(auth, 'Assessments', 'assessments'),
      pointLabels: actor.term === null ? [] : POINT_KEYS.map((p) => POINT_LABELS[p]),
      rows
    })
  })
  api.get('/mentor/mentees/:id/assessments', { schema: { hide: true, params: StudentParams, querystring: PageQuery }, preHandler: mentor }, async (request, reply) =>
    await render(reply, authOf(request), request.params.id, undefined, noticeText(NOTICES, request.query)))
  api.post('/mentor/mentees/:id/assessments/:point', { schema: { hide: true, params: StudentPointParams, body: FormBody }, preHandler: mentor }, async (request, reply) => {
    const auth = authOf(request)
    if (!(await growth.menteesOf(String(auth.course._id), String(auth.user._id))).includes(request.params.id)) return await reply.callNotFound()
    return await rate(reply, auth, request.params.point, request.params.id, `/mentor/mentees/${request.params.id}/assessments`)
  })

  api.get('/instructor/students/:id/growth', { schema: { hide: true, params: StudentParams }, preHandler: requireRole('instructor') }, async (request, reply) =>
    await render(reply, authOf(request), request.params.id))
}
