import { z } from 'zod'
import type { OpenTime, Slot } from '../../domain/booking/availability'
import { BOOKING_STATUSES, type Booking } from '../../domain/booking/ports'

/** The JSON the booking API answers with (documented at /docs/json), and its mappers. */

const instant = z.string().describe('ISO 8601 date-time, UTC')

export const SlotJson = z.object({
  id: z.string(),
  kind: z.enum(['weekly', 'once']),
  weekday: z.number().int().nullable().describe('1 (Monday) to 7 (Sunday), for a weekly slot'),
  from: z.string().describe('YYYY-MM-DD: the first day (a one-off slot\'s day)'),
  until: z.string().describe('YYYY-MM-DD: the last day'),
  startTime: z.string().describe('HH:MM on the mentor\'s clock'),
  minutes: z.number().int(),
  timeZone: z.string().describe('IANA time zone of the mentor\'s clock'),
  place: z.string(),
  videoLink: z.string()
})
export const toSlotJson = (s: Slot): z.infer<typeof SlotJson> => ({
  id: s._id, kind: s.kind, weekday: s.weekday, from: s.from, until: s.until, startTime: s.startTime, minutes: s.minutes, timeZone: s.timeZone, place: s.place, videoLink: s.videoLink
})

export const FreeTimeJson = z.object({ startsAt: instant, minutes: z.number().int(), timeZone: z.string(), place: z.string(), videoLink: z.string() })
export const toFreeTimeJson = (t: OpenTime): z.infer<typeof FreeTimeJson> => ({ startsAt: t.startsAt.toISOString(), minutes: t.minutes, timeZone: t.timeZone, place: t.place, videoLink: t.videoLink })

export const BookingJson = z.object({
  id: z.string(),
  mentorUserId: z.string(),
  studentUserId: z.string(),
  startsAt: instant,
  minutes: z.number().int(),
  timeZone: z.string(),
  place: z.string(),
  videoLink: z.string(),
  status: z.enum(BOOKING_STATUSES),
  activityId: z.string().nullable().describe('The planned 1:1 session in the student\'s record'),
  note: z.string().describe('What the person who last moved or cancelled it wrote'),
  calendarHref: z.string().describe('The session as an .ics file')
})
export const toBookingJson = (b: Booking): z.infer<typeof BookingJson> => ({
  id: b._id, mentorUserId: b.mentorUserId, studentUserId: b.studentUserId, startsAt: b.startsAt.toISOString(), minutes: b.minutes, timeZone: b.timeZone,
  place: b.place, videoLink: b.videoLink, status: b.status, activityId: b.activityId, note: b.note, calendarHref: calendarHrefOf(b)
})

export const calendarHrefOf = (b: Pick<Booking, '_id'>): string => `/bookings/${b._id}/calendar.ics`
