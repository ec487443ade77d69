import { z } from 'zod'
import { DayText } from '../term/calendar-day'
import { WEEKDAYS } from './availability'
import { isTimeZone } from '../time/zones'

/** The rules for what mentors and students send about availability and bookings, for the JSON API and pages alike. */

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/
const startTime = z.string({ error: 'is required' }).trim().regex(TIME, 'must be a time as HH:MM (24-hour clock)')
const range = (min: number, max: number) => `must be a whole number from ${min} to ${max}`
const minutes = z.number({ error: range(15, 480) }).int(range(15, 480)).min(15, range(15, 480)).max(480, range(15, 480))
const timeZone = z.string({ error: 'must be a time zone name' }).trim().refine(isTimeZone, 'must be a time zone name such as Europe/London or America/New_York').optional()
const place = z.string({ error: 'must be text' }).trim().max(200, 'must be at most 200 characters').default('')
const videoLink = z.string({ error: 'must be text' }).trim().max(500, 'must be at most 500 characters')
  .refine((t) => t === '' || /^https:\/\/\S+$/.test(t), 'must be a web address starting with https://').default('')
const somewhere = { path: ['place'], message: 'is required unless you give a video link: say where you meet' }
const hasVenue = (v: { place: string, videoLink: string }) => v.place !== '' || v.videoLink !== ''

export const WeeklySlotCreate = z.strictObject({
  kind: z.literal('weekly'),
  weekday: z.number({ error: range(1, 7) }).int(range(1, 7)).min(1, range(1, 7)).max(7, range(1, 7)).describe(`1 (${WEEKDAYS[0]}) to 7 (${WEEKDAYS[6]})`),
  startTime,
  minutes,
  from: DayText,
  until: DayText,
  timeZone,
  place,
  videoLink
}).refine((s) => s.from <= s.until, { path: ['until'], message: 'must be on or after the first day' }).refine(hasVenue, somewhere)

export const OneOffSlotCreate = z.strictObject({ kind: z.literal('once'), date: DayText, startTime, minutes, timeZone, place, videoLink }).refine(hasVenue, somewhere)

export const SlotCreate = z.discriminatedUnion('kind', [WeeklySlotCreate, OneOffSlotCreate], { error: 'must be one of: weekly, once' })
export type SlotCreate = z.output<typeof SlotCreate>

const instant = z.iso.datetime({ offset: true, error: 'must be one of the free times, as an ISO date-time' }).transform((t) => new Date(t))
const note = z.string({ error: 'must be text' }).trim().max(1000, 'must be at most 1000 characters').default('')

export const BookingCreate = z.strictObject({ startsAt: instant })
export type BookingCreate = z.output<typeof BookingCreate>
export const BookingMove = z.strictObject({ startsAt: instant, note })
export type BookingMove = z.output<typeof BookingMove>
export const BookingCancel = z.strictObject({ note })
export type BookingCancel = z.output<typeof BookingCancel>
