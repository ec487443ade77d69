import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { authOf, type Auth, type RequireRole } from '../../auth/require-session'
import type { FieldError } from '../../domain/activities/field-error'
import { sameId } from '../../domain/ids'
import { manages } from '../../domain/activities/field-trip-service'
import { CheckInCode, RsvpInput } from '../../domain/activities/record-fields'
import { ATTENDANCE_LABELS } from '../../domain/activities/vocabulary'
import { dayOf, today } from '../../domain/term/calendar-day'
import { tripZone } from '../../domain/activities/trip-time'
import { timeLabelsIn } from '../../http/date-labels'
import { FormBody, redirectWithNotice, submit } from '../../http/forms'
import { IdParams } from '../../http/schemas'
import { pageContext } from '../../http/page-context'
import { fieldViews, type FieldSpec } from './form-fields'
import { noticeOf, PageQuery } from './form-page'
import type { ActivityServices } from '../../services'
import { actorOf } from './actor'

export interface FieldTripPagesOptions { requireRole: RequireRole, services: ActivityServices }

const CODE_FIELD: FieldSpec[] = [{ name: 'code', label: 'Check-in code', type: 'text', required: true, maxLength: 6, hint: 'The 6 characters shown at the event.' }]

/** Where each role's field trip list lives. */
export const tripsPath = (auth: Auth) => `/${auth.role}/field-trips`
/** A trip as an .ics file to download (routes/calendar). */
export const tripCalendarPath = (id: string) => `/field-trips/${id}/calendar.ics`

interface ListState { code?: string, errors?: FieldError[], rsvpError?: { id: string, message: string } }

/** The field trip list of every role: students answer invitations and check in; organisers open their trips. */
export const fieldTripPages: FastifyPluginAsync<FieldTripPagesOptions> = async (app, { requireRole, services }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()

  const renderList = async (reply: FastifyReply, auth: Auth, notice: string | undefined, state: ListState = {}, status = 200) => {
    const actor = actorOf(auth)
    const labels = timeLabelsIn(auth.zone.zone)
    const trips = await services.trips.list(actor)
    const isStudent = auth.role === 'student'
    // Only a student's list shows attendance (their own).
    const [rsvps, attendance] = await Promise.all([services.rsvps.ofTrips(trips.map((t) => t._id)), isStudent ? services.attendanceRecords.ofCourse(actor.courseId) : []])
    const views = await Promise.all(trips.map(async (t) => {
      const answers = rsvps.filter((r) => sameId(r.fieldTripId, t._id))
      const mine = answers.find((r) => sameId(r.studentUserId, actor.userId))
      const attended = attendance.find((r) => sameId(r.fieldTripId, t._id) && sameId(r.studentUserId, actor.userId))
      const seatsTaken = answers.filter((r) => r.answer === 'yes').length
      return {
        id: String(t._id),
        title: t.title,
        when: labels.happening(t.startsAt, tripZone(t)),
        at: t.startsAt.toISOString(),
        place: t.place,
        description: t.description,
        seatsLeft: Math.max(0, t.capacity - seatsTaken),
        capacity: t.capacity,
        invited: (await services.trips.visibleInvitees(actor, t)).length,
        upcoming: dayOf(t.startsAt) >= today() && t.startsAt > new Date(),
        detailHref: manages(actor, t) ? `/field-trips/${String(t._id)}` : undefined,
        answer: isStudent ? mine?.answer ?? 'none' : undefined,
        attendanceLabel: isStudent && attended ? ATTENDANCE_LABELS[attended.status] : undefined,
        rsvpAction: `/field-trips/${String(t._id)}/rsvp`,
        calendarHref: tripCalendarPath(String(t._id)),
        rsvpError: state.rsvpError?.id === String(t._id) ? state.rsvpError.message : undefined
      }
    }))
    const errors = state.errors ?? []
    return await reply.status(status).view('pages/field-trips', {
      ...pageContext(auth, errors.length > 0 ? 'Error: Field trips' : 'Field trips', 'field-trips'),
      notice: noticeOf(notice),
      isStudent,
      canOrganise: !isStudent,
      codeFields: fieldViews(CODE_FIELD, { code: state.code ?? '' }, errors),
      upcoming: views.filter((v) => v.upcoming),
      past: views.filter((v) => !v.upcoming)
    })
  }

  for (const role of ['student', 'mentor', 'instructor'] as const) {
    api.get(`/${role}/field-trips`, { schema: { hide: true, querystring: PageQuery }, preHandler: requireRole(role) }, async (request, reply) =>
      await renderList(reply, authOf(request), request.query.notice))
  }

  api.post('/student/check-in', { schema: { hide: true, body: FormBody }, preHandler: requireRole('student') }, async (request, reply) => {
    const auth = authOf(request)
    const code = String(request.body.code ?? '')
    let already = false
    const refused = await submit(CheckInCode, { code }, async (data) => { already = (await services.attendance.checkIn(actorOf(auth), data.code)).already })
    if (refused) return await renderList(reply, auth, undefined, { code, errors: refused.errors }, 400)
    return await redirectWithNotice(reply, auth, tripsPath(auth), already ? 'already-checked-in' : 'checked-in')
  })

  api.post('/field-trips/:id/rsvp', { schema: { hide: true, params: IdParams, body: FormBody }, preHandler: requireRole('student') }, async (request, reply) => {
    const auth = authOf(request)
    const refused = await submit(RsvpInput, { answer: request.body.answer }, async ({ answer }) => await services.attendance.rsvp(actorOf(auth), request.params.id, answer))
    if (refused) return await renderList(reply, auth, undefined, { rsvpError: { id: request.params.id, message: refused.errors.map((e) => e.message).join('; ') } }, 409)
    return await redirectWithNotice(reply, auth, tripsPath(auth), 'rsvp')
  })
}
