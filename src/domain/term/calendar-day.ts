import { DateTime } from 'luxon'
import { z } from 'zod'

/**
 * Calendar days ('YYYY-MM-DD'): the same day wherever the reader is, so they are kept as UTC midnights and counted
 * in UTC. Instants (times of day) belong to a zone: see domain/time/zones.
 */
export type Day = string

const DAY = /^\d{4}-\d{2}-\d{2}$/
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/

const utcDay = (day: Day): DateTime => DateTime.fromISO(day, { zone: 'utc' })

export const isDay = (text: string): boolean => DAY.test(text) && utcDay(text).isValid
// These two run for every row of a course's table: plain ISO text is exact for UTC and much cheaper than a DateTime.
export const dayToDate = (day: Day): Date => new Date(`${day}T00:00:00.000Z`)
export const dayOf = (date: Date): Day => date.toISOString().slice(0, 10)
export const addDays = (day: Day, days: number): Day => utcDay(day).plus({ days }).toISODate() as Day
export const daysBetween = (from: Day, to: Day): number => Math.round(utcDay(to).diff(utcDay(from), 'days').days)
export const today = (now = new Date()): Day => dayOf(now)
/** The ISO weekday of a calendar day: 1 is Monday, 7 is Sunday. */
export const weekdayOf = (day: Day): number => utcDay(day).weekday

/** An ISO date and time; one without an offset is read as UTC (API callers that mean another zone give its offset). */
export function parseDateTime (text: string): Date | null {
  if (!DATE_TIME.test(text)) return null
  const parsed = DateTime.fromISO(text, { zone: 'utc', setZone: true })
  return parsed.isValid ? parsed.toJSDate() : null
}

/** A calendar day as people and API callers write it; the API docs call it a `date` (RFC 3339's full-date). */
export const DayText = z.string({ error: 'is required' }).trim().min(1, { error: 'is required', abort: true })
  .refine(isDay, 'must be a date as YYYY-MM-DD').meta({ format: 'date' })
