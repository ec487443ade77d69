import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { authOf, type Auth, type RequireRole } from '../../auth/require-session'
import type { Actor } from '../../domain/activities/access'
import type { FieldError } from '../../domain/activities/field-error'
import { AttendanceSheet, CheckInOpen, FieldTripCreate, FieldTripPatch } from '../../domain/activities/record-fields'
import { sameId } from '../../domain/ids'
import { ATTENDANCE_LABELS, ATTENDANCE_STATUSES } from '../../domain/activities/vocabulary'
import { waitlistPlace } from '../../domain/activities/field-trip-attendance'
import { checkInSpan, hasStarted, tripEnd } from '../../domain/activities/trip-clock'
import { tripZone } from '../../domain/activities/trip-time'
import { timeLabelsIn } from '../../http/date-labels'
import { FormBody, redirectWithNotice, submit } from '../../http/forms'
import { IdParams } from '../../http/schemas'
import { pageContext } from '../../http/page-context'
import { fieldViews, inputOf, valuesOf, type FieldSpec, type FormValues } from './form-fields'
import { noticeOf, PageQuery, renderForm } from './form-page'
import { FORM_SPECS, storedValues } from './form-specs'
import { tripCalendarPath, tripsPath } from './pages-field-trips'
import { answerLabel } from './trip-answers'
import type { ActivityServices } from '../../services'
import { actorOf } from './actor'

export interface FieldTripManageOptions { requireRole: RequireRole, services: ActivityServices }

const MINUTES_FIELD: FieldSpec[] = [{ name: 'minutes', label: 'Minutes the code stays valid', type: 'number', required: true, min: 1, max: 1440 }]

/** The trip form as API input: the "open to every student" box decides, and then the list of invitees is not sent. */
function tripInputOf (specs: readonly FieldSpec[], values: FormValues): Record<string, unknown> {
  const { openToCourse, invitedUserIds, ...input } = inputOf(specs, values)
  const open = Array.isArray(openToCourse) && openToCourse.includes('yes')
  return { ...input, openToCourse: open, ...(open ? {} : { invitedUserIds }) }
}

/** Organising a field trip: the form, the attendance checklist and the check-in code. Organisers and instructors only. */
export const fieldTripManagePages: FastifyPluginAsync<FieldTripManageOptions> = async (app, { requireRole, services }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const organisers = requireRole('mentor', 'instructor')

  /** The students the actor may invite: their mentees, or the course's active students. */
  const invitees = async (actor: Actor) => {
    const [mine, names] = await Promise.all([services.access.studentsOf(actor), services.studentNames(actor.courseId)])
    const ids = (mine === 'all' ? await services.activeStudents(actor.courseId) : mine).map(String)
    return ids.map((id) => ({ value: id, label: names.get(id) ?? id })).sort((a, b) => a.label.localeCompare(b.label))
  }
  const formPage = async (auth: Auth, values: FormValues, id?: string, errors?: FieldError[]) => {
    const actor = actorOf(auth)
    return {
      heading: id ? 'Edit the field trip' : 'Organise a field trip',
      intro: id ? undefined : auth.role === 'mentor' ? 'Invite your mentees; all of them are ticked to start with.' : 'Invite the course\'s students; all of them are ticked to start with.',
      action: id ? `/field-trips/${id}` : '/field-trips',
      submitLabel: 'Save',
      cancelHref: id ? `/field-trips/${id}` : tripsPath(auth),
      specs: FORM_SPECS.trip({ term: actor.term, invitees: await invitees(actor) }),
      values,
      errors,
      deleteAction: id ? `/field-trips/${id}/delete` : undefined,
      nav: 'field-trips'
    }
  }

  api.get('/field-trips/new', { schema: { hide: true, querystring: PageQuery }, preHandler: organisers }, async (request, reply) => {
    const auth = authOf(request)
    const actor = actorOf(auth)
    const everyone = (await invitees(actor)).map((o) => o.value)
    return await renderForm(reply, auth, await formPage(auth, { capacity: '10', timeZone: actor.zone ?? auth.zone.zone, openToCourse: [], invitedUserIds: everyone }))
  })

  api.post('/field-trips', { schema: { hide: true, body: FormBody }, preHandler: organisers }, async (request, reply) => {
    const auth = authOf(request)
    const { specs } = await formPage(auth, {})
    const values = valuesOf(specs, request.body)
    let id = ''
    let invited = 0
    const refused = await submit(FieldTripCreate, tripInputOf(specs, values), async (data) => {
      const trip = await services.trips.create(actorOf(auth), data)
      id = String(trip._id)
      invited = trip.invitedUserIds.length
    })
    if (refused) return await renderForm(reply, auth, await formPage(auth, values, undefined, refused.errors), 400)
    return await redirectWithNotice(reply, auth, `/field-trips/${id}`, 'trip-published', { n: String(invited) })
  })

  api.get('/field-trips/:id/edit', { schema: { hide: true, params: IdParams, querystring: PageQuery }, preHandler: organisers }, async (request, reply) => {
    const auth = authOf(request)
    const trip = await services.trips.manage(actorOf(auth), request.params.id)
    return await renderForm(reply, auth, await formPage(auth, storedValues.trip(trip), request.params.id))
  })

  api.post('/field-trips/:id', { schema: { hide: true, params: IdParams, body: FormBody }, preHandler: organisers }, async (request, reply) => {
    const auth = authOf(request)
    const { id } = request.params
    const { specs } = await formPage(auth, {}, id)
    const values = valuesOf(specs, request.body)
    const refused = await submit(FieldTripPatch, tripInputOf(specs, values), async (data) => await services.trips.update(actorOf(auth), id, data))
    if (refused) return await renderForm(reply, auth, await formPage(auth, values, id, refused.errors), 400)
    return await redirectWithNotice(reply, auth, `/field-trips/${id}`, 'trip-changed')
  })

  api.post('/field-trips/:id/delete', { schema: { hide: true, params: IdParams, body: FormBody }, preHandler: organisers }, async (request, reply) => {
    const auth = authOf(request)
    await services.trips.remove(actorOf(auth), request.params.id)
    return await redirectWithNotice(reply, auth, tripsPath(auth), 'deleted')
  })

  const renderTrip = async (reply: FastifyReply, auth: Auth, id: string, notice?: { notice?: string, n?: number }, minutes = '30', errors: FieldError[] = [], status = 200) => {
    const actor = actorOf(auth)
    const { trip, rows, checkIn } = await services.attendance.sheet(actor, id)
    const [rsvps, names, window] = await Promise.all([services.rsvps.ofTrip(trip._id), services.names(actor.courseId), services.attendance.checkInWindow(actor)])
    const now = new Date()
    const labels = timeLabelsIn(auth.zone.zone)
    const span = checkInSpan(trip, window)
    const there = (at: Date) => labels.happening(at, tripZone(trip))
    return await reply.status(status).view('pages/field-trip', {
      ...pageContext(auth, errors.length > 0 ? `Error: ${trip.title}` : trip.title, 'field-trips'),
      notice: noticeOf(notice?.notice, notice?.n),
      editHref: `/field-trips/${id}/edit`,
      calendarHref: tripCalendarPath(id),
      backHref: tripsPath(auth),
      trip: {
        ...trip,
        id,
        at: trip.startsAt.toISOString(),
        when: there(trip.startsAt),
        endsAtIso: tripEnd(trip).toISOString(),
        ends: there(tripEnd(trip)),
        seatsTaken: rsvps.filter((r) => r.answer === 'yes').length,
        waiting: rsvps.filter((r) => r.answer === 'waiting').length
      },
      started: hasStarted(trip, now),
      checkInSpan: { from: there(span.from), until: there(span.until), now: span.from <= now && now < span.until, over: span.until <= now },
      students: trip.invitedUserIds.map((s) => {
        const status = rows.find((r) => sameId(r.studentUserId, s))
        const answer = rsvps.find((r) => sameId(r.studentUserId, s))?.answer
        return {
          id: String(s),
          name: names.get(String(s)) ?? 'Unknown student',
          answerLabel: answerLabel(answer, waitlistPlace(rsvps, s)),
          via: status?.via === 'check-in' ? 'checked in' : undefined,
          options: ATTENDANCE_STATUSES.map((value) => ({ value, label: ATTENDANCE_LABELS[value], checked: status?.status === value }))
        }
      }).sort((a, b) => a.name.localeCompare(b.name)),
      checkIn: checkIn && { code: checkIn.code, opens: labels.happening(checkIn.opensAt, tripZone(trip)), closes: labels.happening(checkIn.closesAt, tripZone(trip)), open: checkIn.opensAt <= now && now < checkIn.closesAt, upcoming: now < checkIn.opensAt },
      minutesFields: fieldViews(MINUTES_FIELD, { minutes }, errors),
      sheetErrors: errors.filter((e) => e.field !== 'minutes').map((e) => e.message)
    })
  }

  api.get('/field-trips/:id', { schema: { hide: true, params: IdParams, querystring: PageQuery }, preHandler: organisers }, async (request, reply) =>
    await renderTrip(reply, authOf(request), request.params.id, request.query))

  api.post('/field-trips/:id/attendance', { schema: { hide: true, params: IdParams, body: FormBody }, preHandler: organisers }, async (request, reply) => {
    const auth = authOf(request)
    const entries = Object.entries(request.body).flatMap(([name, value]) => name.startsWith('status-') && value !== '' ? [{ studentUserId: name.slice('status-'.length), status: value }] : [])
    const refused = await submit(AttendanceSheet, { entries }, async (sheet) => await services.attendance.mark(actorOf(auth), request.params.id, sheet))
    if (refused) return await renderTrip(reply, auth, request.params.id, undefined, '30', refused.errors, refused.status)
    return await redirectWithNotice(reply, auth, `/field-trips/${request.params.id}`, 'attendance')
  })

  api.post('/field-trips/:id/check-ins', { schema: { hide: true, params: IdParams, body: FormBody }, preHandler: organisers }, async (request, reply) => {
    const auth = authOf(request)
    const values = valuesOf(MINUTES_FIELD, request.body)
    const refused = await submit(CheckInOpen, inputOf(MINUTES_FIELD, values), async (data) => await services.attendance.openCheckIn(actorOf(auth), request.params.id, data))
    if (refused) return await renderTrip(reply, auth, request.params.id, undefined, String(values.minutes), refused.errors, refused.status)
    return await redirectWithNotice(reply, auth, `/field-trips/${request.params.id}`, 'check-in-open')
  })
}
