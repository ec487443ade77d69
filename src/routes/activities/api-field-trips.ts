import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf, type RequireRole } from '../../auth/require-session'
import type { Actor } from '../../domain/activities/access'
import { manages } from '../../domain/activities/field-trip-service'
import type { FieldTrip, Rsvp } from '../../domain/activities/ports'
import { AttendanceSheet, CheckInCode, CheckInOpen, CheckInWindowInput, FieldTripCreate, FieldTripPatch, RsvpInput } from '../../domain/activities/record-fields'
import { apiCommon, errorResponses, IdParams } from '../../http/schemas'
import { AttendanceJson, CheckInJson, FieldTripJson, toAttendanceJson, toCheckInJson, toFieldTripJson } from './schemas'
import type { ActivityServices } from '../../services'
import { actorOf } from './actor'
import { sameId } from '../../domain/ids'

export interface FieldTripApiOptions { requireRole: RequireRole, services: ActivityServices }

/** Field trips: organising, RSVPs, the attendance checklist and check-in codes. */
export const fieldTripApiRoutes: FastifyPluginAsync<FieldTripApiOptions> = async (app, { requireRole, services: { trips, attendance, rsvps } }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const common = apiCommon('Field trips')
  const item = { ...common, params: IdParams }
  const anyone = requireRole('student', 'mentor', 'instructor')
  const organisers = requireRole('mentor', 'instructor')
  const json = async (actor: Actor, trip: FieldTrip, answers?: Rsvp[]) =>
    toFieldTripJson(trip, answers ?? await rsvps.ofTrip(trip._id), await trips.visibleInvitees(actor, trip), manages(actor, trip))
  const actor = (request: FastifyRequest) => actorOf(authOf(request))

  api.get('/api/v1/field-trips', {
    schema: { ...common, summary: 'Field trips you organise, are invited to, or your mentees are invited to (all, for instructors)', response: { 200: z.array(FieldTripJson), ...errorResponses } },
    preHandler: anyone
  }, async (request) => {
    const who = actor(request)
    const list = await trips.list(who)
    const answers = await rsvps.ofTrips(list.map((t) => t._id))
    return await Promise.all(list.map(async (t) => await json(who, t, answers.filter((r) => sameId(r.fieldTripId, t._id)))))
  })

  api.post('/api/v1/field-trips', {
    schema: {
      ...common,
      summary: 'Organise a field trip',
      description: 'Mentors invite their own mentees, instructors the course\'s active students; without invitedUserIds, all of them. With openToCourse, every active student of the course (then leave invitedUserIds out), and a yes to the full trip joins its waitlist. The start must be inside the term; endsAt must be after it.',
      body: FieldTripCreate,
      response: { 201: FieldTripJson, ...errorResponses }
    },
    preHandler: organisers
  }, async (request, reply) => {
    const who = actor(request)
    return await reply.status(201).send(await json(who, await trips.create(who, request.body)))
  })

  api.get('/api/v1/field-trips/:id', { schema: { ...item, summary: 'One field trip', response: { 200: FieldTripJson, ...errorResponses } }, preHandler: anyone },
    async (request) => { const who = actor(request); return await json(who, await trips.get(who, request.params.id)) })

  api.patch('/api/v1/field-trips/:id', {
    schema: { ...item, summary: 'Change a field trip you organise', body: FieldTripPatch, response: { 200: FieldTripJson, ...errorResponses } },
    preHandler: organisers
  }, async (request) => { const who = actor(request); return await json(who, await trips.update(who, request.params.id, request.body)) })

  api.delete('/api/v1/field-trips/:id', {
    schema: { ...item, summary: 'Cancel a field trip you organise', response: { 204: z.null(), ...errorResponses } },
    preHandler: organisers
  }, async (request, reply) => { await trips.remove(actor(request), request.params.id); return await reply.status(204).send(null) })

  api.put('/api/v1/field-trips/:id/rsvp', {
    schema: {
      ...item,
      summary: 'Answer an invitation; a yes needs a free seat (409 when the trip is full)',
      description: 'On a trip open to the course, a yes to a full trip joins its waitlist (your answer reads "waiting", with your place); a seat given back goes to the student waiting longest.',
      body: RsvpInput,
      response: { 200: FieldTripJson, ...errorResponses }
    },
    preHandler: requireRole('student')
  }, async (request) => {
    const who = actor(request)
    const { trip, rsvps: answers } = await attendance.rsvp(who, request.params.id, request.body.answer)
    return await json(who, trip, answers)
  })

  const CheckInWindowJson = z.object({ beforeMinutes: z.number().int(), afterMinutes: z.number().int() })
  api.get('/api/v1/field-trip-settings/check-in-window', {
    schema: { ...common, summary: 'When check-in codes work: minutes before a trip starts and after it ends', response: { 200: CheckInWindowJson, ...errorResponses } },
    preHandler: organisers
  }, async (request) => await attendance.checkInWindow(actor(request)))

  api.put('/api/v1/field-trip-settings/check-in-window', {
    schema: { ...common, summary: 'Change when the course\'s check-in codes work (instructors)', body: CheckInWindowInput, response: { 200: CheckInWindowJson, ...errorResponses } },
    preHandler: requireRole('instructor')
  }, async (request) => await attendance.setCheckInWindow(actor(request), request.body))

  api.get('/api/v1/field-trips/:id/attendance', {
    schema: { ...item, summary: 'The attendance checklist and the latest check-in window', response: { 200: z.object({ rows: z.array(AttendanceJson), checkIn: CheckInJson.nullable() }), ...errorResponses } },
    preHandler: organisers
  }, async (request) => {
    const { rows, checkIn } = await attendance.sheet(actor(request), request.params.id)
    return { rows: rows.map(toAttendanceJson), checkIn: checkIn && toCheckInJson(checkIn) }
  })

  api.put('/api/v1/field-trips/:id/attendance', {
    schema: {
      ...item,
      summary: 'Record attendance of invited students (present, absent, excused)',
      description: 'Once the trip has started (409 before). All or nothing: a student who was not invited is refused, naming the entry, and nothing is stored.',
      body: AttendanceSheet,
      response: { 200: z.array(AttendanceJson), ...errorResponses }
    },
    preHandler: organisers
  }, async (request) => (await attendance.mark(actor(request), request.params.id, request.body)).map(toAttendanceJson))

  api.post('/api/v1/field-trips/:id/check-ins', {
    schema: {
      ...item,
      summary: 'Open a check-in window and get its code to show at the event',
      description: 'Only inside the course\'s check-in span around the trip (by default from 60 minutes before the start to 2 hours after the end; 409 outside it), and never past that span. Ends any window of the trip still open. The code is never reused by another check-in.',
      body: CheckInOpen,
      response: { 201: CheckInJson, ...errorResponses }
    },
    preHandler: organisers
  }, async (request, reply) => await reply.status(201).send(toCheckInJson(await attendance.openCheckIn(actor(request), request.params.id, request.body))))

  api.post('/api/v1/check-ins', {
    schema: {
      ...common,
      summary: 'Check in to a field trip with the code shown at the event',
      description: 'Only while the window is open and inside the trip\'s check-in span, and only for invited students. Checking in twice is harmless.',
      body: CheckInCode,
      response: { 200: z.object({ fieldTripId: z.string(), title: z.string(), status: z.literal('present'), alreadyCheckedIn: z.boolean() }), ...errorResponses }
    },
    preHandler: requireRole('student')
  }, async (request) => {
    const { trip, already } = await attendance.checkIn(actor(request), request.body.code)
    return { fieldTripId: String(trip._id), title: trip.title, status: 'present' as const, alreadyCheckedIn: already }
  })
}
