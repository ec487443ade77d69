import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf, type RequireRole } from '../../auth/require-session'
import { BookingCancel, BookingCreate, BookingMove, SlotCreate } from '../../domain/booking/booking-fields'
import { apiCommon, errorResponses, IdParams } from '../../http/schemas'
import type { ActivityServices } from '../../services'
import { actorOf, defaultZoneOf } from './actor'
import { BookingJson, FreeTimeJson, SlotJson, toBookingJson, toFreeTimeJson, toSlotJson } from './booking-json'

export interface BookingApiOptions { requireRole: RequireRole, services: ActivityServices }

/** 1:1 session booking: mentors' availability, their mentees' bookings, and each session as a calendar file. */
export const bookingApiRoutes: FastifyPluginAsync<BookingApiOptions> = async (app, { requireRole, services }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const { bookings } = services
  const common = apiCommon('Session booking')
  const item = { ...common, params: IdParams }
  const mentors = requireRole('mentor')
  const students = requireRole('student')
  const sides = requireRole('student', 'mentor')
  const anyone = requireRole('student', 'mentor', 'instructor')
  const actor = (request: FastifyRequest) => actorOf(authOf(request))

  api.get('/api/v1/availability', {
    schema: { ...common, summary: 'Your slots and booked sessions (mentors)', response: { 200: z.object({ defaultTimeZone: z.string(), slots: z.array(SlotJson), bookings: z.array(BookingJson) }), ...errorResponses } },
    preHandler: mentors
  }, async (request) => {
    const { slots, bookings: booked } = await bookings.availability(actor(request))
    return { defaultTimeZone: defaultZoneOf(authOf(request)), slots: slots.map(toSlotJson), bookings: booked.map(toBookingJson) }
  })

  api.post('/api/v1/availability/slots', {
    schema: {
      ...common,
      summary: 'Offer a weekly or one-off time to your mentees',
      description: 'Times are on the mentor\'s clock in `timeZone` (the course\'s zone, or UTC, when left out); the days must fall inside the term. A slot overlapping a time you already offer, or a session booked with you, is refused (409).',
      body: SlotCreate,
      response: { 201: SlotJson, ...errorResponses }
    },
    preHandler: mentors
  }, async (request, reply) => await reply.status(201).send(toSlotJson(await bookings.publish(actor(request), request.body, defaultZoneOf(authOf(request))))))

  api.delete('/api/v1/availability/slots/:id', {
    schema: { ...item, summary: 'Stop offering a slot (sessions booked in it stay)', response: { 204: z.null(), ...errorResponses } },
    preHandler: mentors
  }, async (request, reply) => { await bookings.removeSlot(actor(request), request.params.id); return await reply.status(204).send(null) })

  api.get('/api/v1/bookings/free-times', {
    schema: { ...common, summary: 'The free times of your mentor in the coming weeks (students), or your own (mentors)', response: { 200: z.object({ mentorUserId: z.string().nullable(), times: z.array(FreeTimeJson) }), ...errorResponses } },
    preHandler: sides
  }, async (request) => {
    const { mentorUserId, times } = await bookings.freeTimes(actor(request))
    return { mentorUserId, times: times.map(toFreeTimeJson) }
  })

  api.get('/api/v1/bookings', {
    schema: { ...common, summary: 'Booked sessions: your own (students and mentors), or the course\'s (instructors)', response: { 200: z.array(BookingJson), ...errorResponses } },
    preHandler: anyone
  }, async (request) => (await bookings.list(actor(request))).map(toBookingJson))

  api.post('/api/v1/bookings', {
    schema: {
      ...common,
      summary: 'Book one of your mentor\'s free times',
      description: 'The session joins your record as a planned 1:1 session. 409 when someone booked that time first.',
      body: BookingCreate,
      response: { 201: BookingJson, ...errorResponses }
    },
    preHandler: students
  }, async (request, reply) => await reply.status(201).send(toBookingJson(await bookings.book(actor(request), request.body))))

  api.get('/api/v1/bookings/:id', { schema: { ...item, summary: 'One booked session', response: { 200: BookingJson, ...errorResponses } }, preHandler: anyone },
    async (request) => toBookingJson(await bookings.get(actor(request), request.params.id)))

  api.post('/api/v1/bookings/:id/reschedule', {
    schema: { ...item, summary: 'Move a session to another free time; the other person is told', body: BookingMove, response: { 200: BookingJson, ...errorResponses } },
    preHandler: sides
  }, async (request) => toBookingJson(await bookings.reschedule(actor(request), request.params.id, request.body)))

  api.post('/api/v1/bookings/:id/cancel', {
    schema: { ...item, summary: 'Cancel a session with a note; the other person is told', body: BookingCancel, response: { 200: BookingJson, ...errorResponses } },
    preHandler: sides
  }, async (request) => toBookingJson(await bookings.cancel(actor(request), request.params.id, request.body)))

  api.get('/bookings/:id/calendar.ics', { schema: { hide: true, params: IdParams }, preHandler: anyone }, async (request, reply) => {
    const who = actor(request)
    const booking = await bookings.get(who, request.params.id)
    const names = await services.sessionNames(who.courseId)
    const text = services.sessionCalendar(booking, { student: names.get(booking.studentUserId) ?? 'Student', mentor: names.get(booking.mentorUserId) ?? 'Mentor' })
    return await reply.type('text/calendar; charset=utf-8').header('content-disposition', 'attachment; filename="mentoring-session.ics"').send(text)
  })
}
