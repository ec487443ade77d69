import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { authOf, type Auth, type RequireRole } from '../../auth/require-session'
import type { FieldError } from '../../domain/activities/field-error'
import { WEEKDAYS, type OpenTime, type Slot } from '../../domain/booking/availability'
import { BookingCancel, BookingCreate, BookingMove, SlotCreate } from '../../domain/booking/booking-fields'
import type { Booking } from '../../domain/booking/ports'
import { dayToDate, today } from '../../domain/term/calendar-day'
import { defaultDayIn } from '../../domain/term/term'
import { dayIn, zoneShortLabel } from '../../domain/time/zones'
import { dayLabel, timeLabelsIn, type TimeLabels } from '../../http/date-labels'
import { FormBody, redirectWithNotice, submit } from '../../http/forms'
import { pageContext } from '../../http/page-context'
import { IdParams } from '../../http/schemas'
import type { ActivityServices } from '../../services'
import { actorOf, defaultZoneOf } from './actor'
import { zoneOptions } from './form-specs'
import { calendarHrefOf } from './booking-json'
import { inputOf, valuesOf, type FieldSpec } from './form-fields'
import { noticeOf, PageQuery, renderForm } from './form-page'

export interface BookingPagesOptions { requireRole: RequireRole, services: ActivityServices }

/** Where each side's booking page lives. */
const bookingPath = (auth: Auth): string => auth.role === 'mentor' ? '/mentor/availability' : '/student/booking'

const KIND_HEADINGS = { weekly: 'Offer a weekly time', once: 'Offer a single time' } as const
type SlotKind = keyof typeof KIND_HEADINGS

/** The fields of a slot form, bounded by the term. */
function slotFields (kind: SlotKind, term: { start: string, end: string } | null): FieldSpec[] {
  const days = { min: term?.start, max: term?.end }
  return [
    ...(kind === 'weekly'
      ? [
          { name: 'weekday', label: 'Day of the week', type: 'select', required: true, options: WEEKDAYS.map((label, i) => ({ value: String(i + 1), label })) },
          { name: 'from', label: 'First day', type: 'date', required: true, ...days },
          { name: 'until', label: 'Last day', type: 'date', required: true, hint: 'Inside the term.', ...days }
        ] satisfies FieldSpec[]
      : [{ name: 'date', label: 'Day', type: 'date', required: true, ...days }] satisfies FieldSpec[]),
    { name: 'startTime', label: 'Starts at', type: 'time', required: true, hint: 'On your clock, in the time zone below (24-hour, e.g. 14:30).' },
    { name: 'minutes', label: 'Length in minutes', type: 'number', required: true, min: 15, max: 480 },
    { name: 'timeZone', label: 'Your time zone', type: 'select', required: true, options: zoneOptions(), hint: 'The times you offer are read on this clock; each student sees their own time beside it.' },
    { name: 'place', label: 'Place', type: 'text', maxLength: 200, hint: 'Where you meet. Give a place, a video link, or both.' },
    { name: 'videoLink', label: 'Video link', type: 'url', maxLength: 500, hint: 'Starts with https://' }
  ]
}

const slotLabel = (s: Slot): string => s.kind === 'weekly'
  ? `Every ${WEEKDAYS[(s.weekday ?? 1) - 1]} at ${s.startTime} ${zoneShortLabel(s.timeZone)}, ${s.minutes} minutes, from ${dayLabel(dayToDate(s.from))} to ${dayLabel(dayToDate(s.until))}`
  : `${dayLabel(dayToDate(s.from))} at ${s.startTime} ${zoneShortLabel(s.timeZone)}, ${s.minutes} minutes`
const whereOf = (v: { place: string, videoLink: string }) => ({ place: v.place, videoLink: v.videoLink })
const timeOption = (labels: TimeLabels) => (t: OpenTime) => ({ value: t.startsAt.toISOString(), label: `${labels.happening(t.startsAt, t.timeZone)} (${t.minutes} minutes)` })

/** The free times by the viewer's days, as the student's list shows them. */
function byDay (times: readonly OpenTime[], labels: TimeLabels) {
  const days = new Map<string, OpenTime[]>()
  for (const t of times) {
    const day = dayIn(t.startsAt, labels.zone)
    days.set(day, [...days.get(day) ?? [], t])
  }
  return [...days].map(([day, list]) => ({
    day, label: dayLabel(dayToDate(day)),
    times: list.map((t) => ({ at: t.startsAt.toISOString(), when: labels.happening(t.startsAt, t.timeZone), minutes: t.minutes, ...whereOf(t) }))
  }))
}

/**
 * The booking pages: a mentor's availability (offer and remove times, see and change booked sessions), a student's
 * booking (their mentor's free times by day, one button to book, their sessions to move or cancel), and the course's
 * booked sessions for its instructors to read.
 */
export const bookingPages: FastifyPluginAsync<BookingPagesOptions> = async (app, { requireRole, services }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const { bookings } = services
  const sides = requireRole('student', 'mentor')

  const render = async (reply: FastifyReply, auth: Auth, query: { notice?: string, n?: number }, problems: string[] = [], status = 200) => {
    const actor = actorOf(auth)
    const isMentor = auth.role === 'mentor'
    const isInstructor = auth.role === 'instructor'
    const [mine, free, names, offered] = await Promise.all([
      bookings.list(actor), isInstructor ? { mentorUserId: null, times: [] } : bookings.freeTimes(actor), services.sessionNames(actor.courseId), isMentor ? bookings.availability(actor) : null
    ])
    const now = new Date()
    const labels = timeLabelsIn(auth.zone.zone)
    const moveOptions = free.times.map(timeOption(labels))
    const view = (b: Booking) => ({
      id: b._id, at: b.startsAt.toISOString(), when: labels.happening(b.startsAt, b.timeZone), minutes: b.minutes, ...whereOf(b), note: b.note,
      withName: names.get(isMentor ? b.studentUserId : b.mentorUserId) ?? (isMentor ? 'Your mentee' : 'Your mentor'),
      studentName: names.get(b.studentUserId) ?? 'Unknown student',
      mentorName: names.get(b.mentorUserId) ?? 'Unknown mentor',
      calendarHref: calendarHrefOf(b), moveAction: `/bookings/${b._id}/move`, cancelAction: `/bookings/${b._id}/cancel`
    })
    const title = isInstructor ? 'Booked 1:1 sessions' : isMentor ? 'Availability' : 'Book a session'
    return await reply.status(status).view('pages/booking', {
      ...pageContext(auth, problems.length > 0 ? `Error: ${title}` : title, isInstructor ? 'activities' : isMentor ? 'availability' : 'booking'),
      heading: title,
      notice: noticeOf(query.notice, query.n),
      problems,
      isMentor,
      isInstructor,
      hasMentor: free.mentorUserId !== null,
      mentorName: free.mentorUserId === null ? undefined : names.get(free.mentorUserId),
      upcoming: mine.filter((b) => b.startsAt > now).map(view),
      past: mine.filter((b) => b.startsAt <= now).map(view),
      moveOptions,
      days: isMentor ? [] : byDay(free.times, labels),
      freeCount: free.times.length,
      slots: offered?.slots.map((s) => ({ id: s._id, label: slotLabel(s), ...whereOf(s), removeAction: `/mentor/availability/slots/${s._id}/remove` })) ?? []
    })
  }
  const refusedOn = async (reply: FastifyReply, auth: Auth, errors: FieldError[], status: number) =>
    await render(reply, auth, {}, errors.map((e) => e.field === '(form)' ? e.message : `${e.field === 'startsAt' ? 'Time' : e.field === 'note' ? 'Note' : e.field}: ${e.message}`), status)

  api.get('/mentor/availability', { schema: { hide: true, querystring: PageQuery }, preHandler: requireRole('mentor') }, async (request, reply) =>
    await render(reply, authOf(request), request.query))
  api.get('/instructor/bookings', { schema: { hide: true, querystring: PageQuery }, preHandler: requireRole('instructor') }, async (request, reply) =>
    await render(reply, authOf(request), request.query))
  api.get('/student/booking', { schema: { hide: true, querystring: PageQuery }, preHandler: requireRole('student') }, async (request, reply) =>
    await render(reply, authOf(request), request.query))

  const slotForm = (auth: Auth, kind: SlotKind, values: Record<string, string | string[]>, errors?: FieldError[]) => ({
    heading: KIND_HEADINGS[kind],
    intro: kind === 'weekly' ? 'Your mentees can book this time every week between the two days.' : 'Your mentees can book this time once.',
    action: `/mentor/availability/slots?kind=${kind}`,
    submitLabel: 'Offer this time',
    cancelHref: '/mentor/availability',
    specs: slotFields(kind, actorOf(auth).term),
    values,
    errors,
    nav: 'availability'
  })
  const kindOf = (query: unknown): SlotKind => (query as { kind?: string }).kind === 'once' ? 'once' : 'weekly'

  api.get('/mentor/availability/new', { schema: { hide: true }, preHandler: requireRole('mentor') }, async (request, reply) => {
    const auth = authOf(request)
    const first = defaultDayIn(actorOf(auth).term, today())
    const kind = kindOf(request.query)
    return await renderForm(reply, auth, slotForm(auth, kind, { from: first, until: actorOf(auth).term?.end ?? first, date: first, minutes: '60', timeZone: defaultZoneOf(auth), startTime: '', place: '', videoLink: '' }))
  })

  api.post('/mentor/availability/slots', { schema: { hide: true, body: FormBody }, preHandler: requireRole('mentor') }, async (request, reply) => {
    const auth = authOf(request)
    const kind = kindOf(request.query)
    const page = slotForm(auth, kind, {})
    const values = valuesOf(page.specs, request.body)
    const input = { kind, ...inputOf(page.specs, values), ...(kind === 'weekly' ? { weekday: Number(values.weekday) } : {}) }
    const refused = await submit(SlotCreate, input, async (slot) => await bookings.publish(actorOf(auth), slot, defaultZoneOf(auth)))
    if (refused) return await renderForm(reply, auth, { ...page, values, errors: refused.errors }, refused.status)
    return await redirectWithNotice(reply, auth, '/mentor/availability', 'slot-added')
  })

  api.post('/mentor/availability/slots/:id/remove', { schema: { hide: true, params: IdParams, body: FormBody }, preHandler: requireRole('mentor') }, async (request, reply) => {
    const auth = authOf(request)
    await bookings.removeSlot(actorOf(auth), request.params.id)
    return await redirectWithNotice(reply, auth, '/mentor/availability', 'slot-removed')
  })

  api.post('/student/booking', { schema: { hide: true, body: FormBody }, preHandler: requireRole('student') }, async (request, reply) => {
    const auth = authOf(request)
    const refused = await submit(BookingCreate, { startsAt: request.body.startsAt }, async (data) => await bookings.book(actorOf(auth), data))
    if (refused) return await refusedOn(reply, auth, refused.errors, refused.status)
    return await redirectWithNotice(reply, auth, '/student/booking', 'booked')
  })

  api.post('/bookings/:id/move', { schema: { hide: true, params: IdParams, body: FormBody }, preHandler: sides }, async (request, reply) => {
    const auth = authOf(request)
    const { startsAt, note } = request.body
    const refused = await submit(BookingMove, { startsAt, note }, async (data) => await bookings.reschedule(actorOf(auth), request.params.id, data))
    if (refused) return await refusedOn(reply, auth, refused.errors, refused.status)
    return await redirectWithNotice(reply, auth, bookingPath(auth), 'session-moved')
  })

  api.post('/bookings/:id/cancel', { schema: { hide: true, params: IdParams, body: FormBody }, preHandler: sides }, async (request, reply) => {
    const auth = authOf(request)
    const refused = await submit(BookingCancel, { note: request.body.note }, async (data) => await bookings.cancel(actorOf(auth), request.params.id, data))
    if (refused) return await refusedOn(reply, auth, refused.errors, refused.status)
    return await redirectWithNotice(reply, auth, bookingPath(auth), 'session-cancelled')
  })
}
