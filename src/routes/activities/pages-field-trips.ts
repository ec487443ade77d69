import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { authOf, type Auth, type RequireRole } from '../../auth/require-session'
import type { FieldError } from '../../domain/activities/field-error'
import { sameId } from '../../domain/ids'
import { manages } from '../../domain/activities/field-trip-service'
import { waitlistPlace } from '../../domain/activities/field-trip-attendance'
import { CheckInCode, CheckInWindowInput, RsvpInput } from '../../domain/activities/record-fields'
import { CHECK_IN_WINDOW_MAX_MINUTES, tripEnd } from '../../domain/activities/trip-clock'
import { ATTENDANCE_LABELS } from '../../domain/activities/vocabulary'
import { dayOf, today } from '../../domain/term/calendar-day'
import { tripZone } from '../../domain/activities/trip-time'
import { timeLabelsIn } from '../../http/date-labels'
import { FormBody, redirectWithNotice, submit } from '../../http/forms'
import { IdParams } from '../../http/schemas'
import { pageContext } from '../../http/page-context'
import { fieldViews, inputOf, valuesOf, type FieldSpec, type FormValues } from './form-fields'
import { answerLabel } from './trip-answers'
import { noticeOf, PageQuery } from './form-page'
import type { ActivityServices } from '../../services'
import { actorOf } from './actor'

export interface FieldTripPagesOptions { requireRole: RequireRole, services: ActivityServices }

const CODE_FIELD: FieldSpec[] = [{ name: 'code', label: 'Check-in code', type: 'text', required: true, maxLength: 6, hint: 'The 6 characters shown at the event.' }]
const WINDOW_FIELDS: FieldSpec[] = [
  { name: 'beforeMinutes', label: 'Minutes before a trip starts', type: 'number', required: true, min: 0, max: CHECK_IN_WINDOW_MAX_MINUTES },
  { name: 'afterMinutes', label: 'Minutes after a trip ends', type: 'number', required: true, min: 0, max: CHECK_IN_WINDOW_MAX_MINUTES }
]

/** Where each role's field trip list lives. */
export const tripsPath = (auth: Auth) => `/${auth.role}/field-trips`
/** A trip as an .ics file to download (routes/calendar). */
export const tripCalendarPath = (id: string) => `/field-trips/${id}/calendar.ics`

interface ListState { code?: string, errors?: FieldError[], rsvpError?: { id: string, message: string }, window?: FormValues, windowErrors?: FieldError[] }

/** The field trip list of every role: students answer invitations and check in; organisers open their trips. */
export const fieldTripPages: FastifyPluginAsync<FieldTripPagesOptions> = async (app, { requireRole, services }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()

  const renderList = async (reply: FastifyReply, auth: Auth, query: { notice?: string, n?: number } = {}, state: ListState = {}, status = 200) => {
    const actor = actorOf(auth)
    const labels = timeLabelsIn(auth.zone.zone)
    const trips = await services.trips.list(actor)
    const isStudent = auth.role === 'student'
    const isMentor = auth.role === 'mentor'
    // Only a student's list shows attendance (their own); a mentor's shows their mentees' answers by name.
    const [rsvps, attendance, names, window] = await Promise.all([
      services.rsvps.ofTrips(trips.map((t) => t._id)),
      isStudent ? services.attendanceRecords.ofCourse(actor.courseId) : [],
      isMentor ? services.names(actor.courseId) : new Map<string, string>(),
      auth.role === 'instructor' ? services.attendance.checkInWindow(actor) : null
    ])
    const now = new Date()
    const views = await Promise.all(trips.map(async (t) => {
      const answers = rsvps.filter((r) => sameId(r.fieldTripId, t._id))
      const mine = answers.find((r) => sameId(r.studentUserId, actor.userId))
      const attended = attendance.find((r) => sameId(r.fieldTripId, t._id) && sameId(r.studentUserId, actor.userId))
      const seatsTaken = answers.filter((r) => r.answer === 'yes').length
      const invitees = await services.trips.visibleInvitees(actor, t)
      const managed = manages(actor, t)
      return {
        id: String(t._id),
        title: t.title,
        when: labels.happening(t.startsAt, tripZone(t)),
        at: t.startsAt.toISOString(),
        ends: labels.happening(tripEnd(t), tripZone(t)),
        endsAtIso: tripEnd(t).toISOString(),
        place: t.place,
        description: t.description,
        openToCourse: t.openToCourse === true,
        seatsLeft: Math.max(0, t.capacity - seatsTaken),
        capacity: t.capacity,
        waiting: answers.filter((r) => r.answer === 'waiting').length,
        invited: invitees.length,
        upcoming: dayOf(t.startsAt) >= today() && t.startsAt > now,
        detailHref: managed ? `/field-trips/${String(t._id)}` : undefined,
        answer: isStudent ? mine?.answer ?? 'none' : undefined,
        waitlistPlace: isStudent ? waitlistPlace(answers, actor.userId) : null,
        checkedIn: isStudent && attended?.status === 'present',
        mentees: isMentor && !managed
          ? invitees.map((s) => ({ name: names.get(String(s)) ?? 'Unknown student', answer: answerLabel(answers.find((r) => sameId(r.studentUserId, s))?.answer, waitlistPlace(answers, s)) }))
            .sort((a, b) => a.name.localeCompare(b.name))
          : [],
        attendanceLabel: isStudent && attended ? ATTENDANCE_LABELS[attended.status] : undefined,
        rsvpAction: `/field-trips/${String(t._id)}/rsvp`,
        calendarHref: tripCalendarPath(String(t._id)),
        rsvpError: state.rsvpError?.id === String(t._id) ? state.rsvpError.message : undefined
      }
    }))
    const errors = state.errors ?? []
    return await reply.status(status).view('pages/field-trips', {
      ...pageContext(auth, errors.length > 0 || (state.windowErrors ?? []).length > 0 ? 'Error: Field trips' : 'Field trips', 'field-trips'),
      notice: noticeOf(query.notice, query.n),
      isStudent,
      canOrganise: !isStudent,
      codeFields: fieldViews(CODE_FIELD, { code: state.code ?? '' }, errors),
      checkInWindow: window && {
        fields: fieldViews(WINDOW_FIELDS, state.window ?? { beforeMinutes: String(window.beforeMinutes), afterMinutes: String(window.afterMinutes) }, state.windowErrors ?? []),
        errors: (state.windowErrors ?? []).length > 0
      },
      upcoming: views.filter((v) => v.upcoming),
      past: views.filter((v) => !v.upcoming)
    })
  }

  for (const role of ['student', 'mentor', 'instructor'] as const) {
    api.get(`/${role}/field-trips`, { schema: { hide: true, querystring: PageQuery }, preHandler: requireRole(role) }, async (request, reply) =>
      await renderList(reply, authOf(request), request.query))
  }

  api.post('/student/check-in', { schema: { hide: true, body: FormBody }, preHandler: requireRole('student') }, async (request, reply) => {
    const auth = authOf(request)
    const code = String(request.body.code ?? '')
    let already = false
    const refused = await submit(CheckInCode, { code }, async (data) => { already = (await services.attendance.checkIn(actorOf(auth), data.code)).already })
    if (refused) return await renderList(reply, auth, {}, { code, errors: refused.errors }, 400)
    return await redirectWithNotice(reply, auth, tripsPath(auth), already ? 'already-checked-in' : 'checked-in')
  })

  api.post('/instructor/field-trips/check-in-window', { schema: { hide: true, body: FormBody }, preHandler: requireRole('instructor') }, async (request, reply) => {
    const auth = authOf(request)
    const values = valuesOf(WINDOW_FIELDS, request.body)
    const refused = await submit(CheckInWindowInput, inputOf(WINDOW_FIELDS, values), async (data) => await services.attendance.setCheckInWindow(actorOf(auth), data))
    if (refused) return await renderList(reply, auth, {}, { window: values, windowErrors: refused.errors }, 400)
    return await redirectWithNotice(reply, auth, tripsPath(auth), 'check-in-window')
  })

  api.post('/field-trips/:id/rsvp', { schema: { hide: true, params: IdParams, body: FormBody }, preHandler: requireRole('student') }, async (request, reply) => {
    const auth = authOf(request)
    let place: number | null = null
    const refused = await submit(RsvpInput, { answer: request.body.answer }, async ({ answer }) => { place = (await services.attendance.rsvp(actorOf(auth), request.params.id, answer)).waitlistPlace })
    if (refused) return await renderList(reply, auth, {}, { rsvpError: { id: request.params.id, message: refused.errors.map((e) => e.message).join('; ') } }, 409)
    return place === null
      ? await redirectWithNotice(reply, auth, tripsPath(auth), 'rsvp')
      : await redirectWithNotice(reply, auth, tripsPath(auth), 'rsvp-waiting', { n: String(place) })
  })
}
