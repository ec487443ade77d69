import { z } from 'zod'

/**
 * Calendar days ('YYYY-MM-DD') and wall-clock times without a zone. Mentorlink keeps both as UTC instants, so a
 * date typed in a form is the date shown everywhere, whatever the server's time zone.
 */
export type Day = string

const DAY = /^\d{4}-\d{2}-\d{2}$/
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/
const MS_PER_DAY = 86_400_000

export const isDay = (text: string): boolean => DAY.test(text) && dayToDate(text).toISOString().startsWith(text)
export const dayToDate = (day: Day): Date => new Date(`${day}T00:00:00.000Z`)
export const dayOf = (date: Date): Day => date.toISOString().slice(0, 10)
export const addDays = (day: Day, days: number): Day => dayOf(new Date(dayToDate(day).getTime() + days * MS_PER_DAY))
export const daysBetween = (from: Day, to: Day): number => Math.round((dayToDate(to).getTime() - dayToDate(from).getTime()) / MS_PER_DAY)
export const today = (now = new Date()): Day => dayOf(now)

/** A wall-clock date and time as a form's datetime-local gives it; a zone, when given, is honoured. */
export function parseDateTime (text: string): Date | null {
  const match = DATE_TIME.exec(text)
  if (!match || !isDay(match[1] as string)) return null
  const date = new Date(match[5] !== undefined ? text : `${text}Z`)
  return Number.isNaN(date.getTime()) ? null : date
}
/** The value a datetime-local input shows for a stored instant. */
export const dateTimeInputOf = (date: Date): string => date.toISOString().slice(0, 16)
export const dateTimeLabel = (date: Date): string => `${dayOf(date)} ${date.toISOString().slice(11, 16)}`

export const DayText = z.string({ error: 'is required' }).trim().min(1, { error: 'is required', abort: true })
  .refine(isDay, 'must be a date as YYYY-MM-DD')
export const DateTimeText = z.string({ error: 'is required' }).trim().min(1, { error: 'is required', abort: true })
  .refine((t) => parseDateTime(t) !== null, 'must be a date and time as YYYY-MM-DDTHH:MM')
  .transform((t) => parseDateTime(t) as Date)
