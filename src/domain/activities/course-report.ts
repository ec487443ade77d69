import { stringify } from 'csv-stringify/sync'
import type { Day } from '../term/calendar-day'
import { termWeeks, weekIndexOf, type Term } from '../term/term'
import { countProgress, type ProgressCounts, type ProgressInput } from './progress-counts'
import { ACTIVITY_KINDS, COACHING_SKILLS, tookPlace, type ActivityKind } from './vocabulary'

export interface ReportStudent { userId: string, name: string, email: string, mentorId: string | null, mentorName: string | null }
export type ReportInput = Omit<ProgressInput, 'activities'> & {
  activities: ReadonlyArray<ProgressInput['activities'][number] & { date: Day }>
  contacts: ReadonlyArray<{ studentUserId: string }>
  /** Days of attended field trips, for "last activity" and the weekly chart. */
  attendedOn: ReadonlyArray<{ studentUserId: string, date: Day }>
}

export interface ReportRow extends ReportStudent {
  progress: ProgressCounts
  /** Recorded (verified or waiting) activities by kind; returned ones are left out. */
  recorded: Record<ActivityKind, number>
  verified: number
  pending: number
  contacts: number
  lastActivity: Day | null
}

export const REPORT_STATUSES = ['pending', 'verified', 'inactive'] as const
export type ReportStatus = typeof REPORT_STATUSES[number]
export interface ReportFilter { mentorId?: string, status?: ReportStatus }

const later = (a: Day | null, b: Day): Day => a !== null && a > b ? a : b

/** The instructor's table: one row per student, with completion counts, what waits for verification and when they were last active. */
export function reportRows (students: readonly ReportStudent[], input: ReportInput): ReportRow[] {
  const progress = countProgress(students.map((s) => s.userId), input)
  const rows = new Map(students.map((s) => [s.userId, {
    ...s,
    progress: progress.get(s.userId) as ProgressCounts,
    recorded: { session: 0, coaching: 0, meeting: 0 },
    verified: 0,
    pending: 0,
    contacts: 0,
    lastActivity: null as Day | null
  }]))
  for (const a of input.activities) {
    const row = rows.get(a.studentUserId)
    if (!row || !tookPlace(a.status)) continue
    row.recorded[a.kind]++
    if (a.status === 'pending') row.pending++
    else row.verified++
    row.lastActivity = later(row.lastActivity, a.date)
  }
  for (const t of input.attendedOn) {
    const row = rows.get(t.studentUserId)
    if (row) row.lastActivity = later(row.lastActivity, t.date)
  }
  for (const c of input.contacts) {
    const row = rows.get(c.studentUserId)
    if (row) row.contacts++
  }
  return [...rows.values()]
}

/** How the instructor can order the table: by name, by mentor, most waiting first, or longest inactive first. */
export const REPORT_SORTS = ['name', 'mentor', 'waiting', 'last-activity'] as const
export type ReportSort = typeof REPORT_SORTS[number]

const byName = (a: ReportRow, b: ReportRow): number => a.name.localeCompare(b.name)
const ORDERS: Record<ReportSort, (a: ReportRow, b: ReportRow) => number> = {
  name: byName,
  mentor: (a, b) => (a.mentorName === null ? 1 : 0) - (b.mentorName === null ? 1 : 0) || (a.mentorName ?? '').localeCompare(b.mentorName ?? '') || byName(a, b),
  waiting: (a, b) => b.pending - a.pending || byName(a, b),
  'last-activity': (a, b) => (a.lastActivity ?? '').localeCompare(b.lastActivity ?? '') || byName(a, b)
}

export function sortRows (rows: readonly ReportRow[], sort: ReportSort = 'name'): ReportRow[] {
  return [...rows].sort(ORDERS[sort])
}

export function filterRows (rows: readonly ReportRow[], filter: ReportFilter): ReportRow[] {
  return rows.filter((r) => {
    if (filter.mentorId !== undefined && (filter.mentorId === 'none' ? r.mentorId !== null : r.mentorId !== filter.mentorId)) return false
    if (filter.status === 'pending') return r.pending > 0
    if (filter.status === 'verified') return r.pending === 0 && r.verified > 0
    if (filter.status === 'inactive') return r.verified + r.pending === 0
    return true
  })
}

/** Activities (not returned) and attended field trips per week of the term; days outside it are left out. */
export function weeklyActivity (term: Term, input: Pick<ReportInput, 'activities' | 'attendedOn'>) {
  return weeklyActivityOfDays(term, input.activities.filter((a) => tookPlace(a.status)).map((a) => a.date), input.attendedOn.map((t) => t.date))
}

/** The same, from the days of activities (not returned) and of attended field trips. */
export function weeklyActivityOfDays (term: Term, activityDays: Iterable<Day>, tripDays: Iterable<Day>) {
  const weeks = termWeeks(term).map((w) => ({ ...w, activities: 0, fieldTrips: 0 }))
  const inTerm = (day: Day) => day >= term.start && day <= term.end
  for (const day of activityDays) if (inTerm(day)) (weeks[weekIndexOf(term, day)] as typeof weeks[number]).activities++
  for (const day of tripDays) if (inTerm(day)) (weeks[weekIndexOf(term, day)] as typeof weeks[number]).fieldTrips++
  return weeks.map((w) => ({ ...w, total: w.activities + w.fieldTrips }))
}
export type WeekActivity = ReturnType<typeof weeklyActivity>[number]

// Spreadsheets run cells starting with these as formulas; a leading apostrophe keeps them text.
export const protect = (cell: string): string => /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell

export function reportCsv (rows: readonly ReportRow[]): string {
  const header = [
    'student', 'email', 'mentor',
    ...ACTIVITY_KINDS.map((k) => `${k}_verified`), ...COACHING_SKILLS.map((s) => `coaching_${s}_verified`),
    'pending', 'field_trips_attended', 'goals_short', 'goals_long', 'goals_achieved', 'reflections', 'contacts', 'last_activity'
  ]
  const body = rows.map((r) => [
    protect(r.name), protect(r.email), protect(r.mentorName ?? ''),
    ...ACTIVITY_KINDS.map((k) => r.progress.verified[k]), ...COACHING_SKILLS.map((s) => r.progress.coaching[s]),
    r.pending, r.progress.fieldTripsAttended, r.progress.goalsSet.short, r.progress.goalsSet.long,
    r.progress.goalsAchieved.short + r.progress.goalsAchieved.long, r.progress.reflections, r.contacts, r.lastActivity ?? ''
  ])
  return stringify([header, ...body])
}
