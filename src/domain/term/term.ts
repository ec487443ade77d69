import { invalidField } from '../activities/field-error'
import { isTimeZone, type TimeZone } from '../time/zones'
import { addDays, dayToDate, daysBetween, isDay, type Day } from './calendar-day'

export interface Milestone { title: string, date: Day }
export type TermSource = 'lms' | 'instructor'

/** The course's term as Mentorlink uses it: every activity is dated inside [start, end]. */
export interface Term {
  start: Day
  end: Day
  startFrom: TermSource
  endFrom: TermSource
  milestones: Milestone[]
}

/** What a course document holds: the LMS's custom parameters and the instructor's own settings. */
export interface TermSources {
  custom?: unknown
  term?: { start?: string | null, end?: string | null, timeZone?: string | null, milestones?: Array<{ title: string, date: string }> } | null
}

/** The zone the instructor set for the course, if any. */
export const courseZoneOf = (course: TermSources): TimeZone | undefined => isTimeZone(course.term?.timeZone) ? course.term.timeZone : undefined

const LMS_KEYS = { start: ['term_start', 'course_start'], end: ['term_end', 'course_end'] } as const

/** A custom parameter as a day: LMSs send '2027-01-11' or an ISO date-time ($Canvas.term.startAt). */
function lmsDay (custom: unknown, keys: readonly string[]): Day | undefined {
  if (typeof custom !== 'object' || custom === null) return undefined
  for (const key of keys) {
    const value = (custom as Record<string, unknown>)[key]
    const day = typeof value === 'string' ? value.trim().slice(0, 10) : ''
    if (isDay(day)) return day
  }
  return undefined
}

/** Which term dates the LMS supplies; the instructor sets only the others. */
export const lmsTermDates = (custom: unknown) => ({ start: lmsDay(custom, LMS_KEYS.start), end: lmsDay(custom, LMS_KEYS.end) })

/** The term, each date from the LMS where it sends one, else from the instructor; null while either is unknown. */
export function termOf (course: TermSources): Term | null {
  const lms = lmsTermDates(course.custom)
  const own = course.term ?? {}
  const start = lms.start ?? own.start ?? undefined
  const end = lms.end ?? own.end ?? undefined
  if (!start || !end || end < start) return null
  const milestones = [...(own.milestones ?? [])].map(({ title, date }) => ({ title, date })).sort((a, b) => a.date.localeCompare(b.date))
  return { start, end, startFrom: lms.start ? 'lms' : 'instructor', endFrom: lms.end ? 'lms' : 'instructor', milestones }
}

export const isWithinTerm = (term: Term, day: Day): boolean => day >= term.start && day <= term.end

const DAY_MONTH = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' })
const DAY_MONTH_YEAR = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })

/** The term as people say it: "11 Jan and 7 May 2027" (the first year too when the term spans two). */
export function termSpanText (term: Term): string {
  const sameYear = term.start.slice(0, 4) === term.end.slice(0, 4)
  return `${(sameYear ? DAY_MONTH : DAY_MONTH_YEAR).format(dayToDate(term.start))} and ${DAY_MONTH_YEAR.format(dayToDate(term.end))}`
}

/** Why a day outside the term is refused, in the words a form shows next to the field. */
export const outsideTermText = (term: Term): string => `must fall between ${termSpanText(term)} (the term)`

/** The day a form starts at: today inside the term, else the term's nearest day (a form opened before the term starts defaults to its first day). */
export function defaultDayIn (term: Term | null, today: Day): Day {
  if (term === null || isWithinTerm(term, today)) return today
  return today < term.start ? term.start : term.end
}

/** A 400 naming the field when `day` falls outside the term, or a 409 while the course has no term. */
export function assertWithinTerm (term: Term | null, day: Day, field: string): void {
  if (!term) throw invalidField(field, 'cannot be accepted before the instructor sets the term dates', 409)
  if (!isWithinTerm(term, day)) throw invalidField(field, outsideTermText(term))
}

/** The term cut into weeks from its first day, for "activity per week" charts. */
export function termWeeks (term: Term): Array<{ start: Day, end: Day }> {
  const weeks: Array<{ start: Day, end: Day }> = []
  for (let start = term.start; start <= term.end; start = addDays(start, 7)) {
    const end = addDays(start, 6)
    weeks.push({ start, end: end < term.end ? end : term.end })
  }
  return weeks
}

export const weekIndexOf = (term: Term, day: Day): number => Math.floor(daysBetween(term.start, day) / 7)
