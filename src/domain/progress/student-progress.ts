import type { ReportInput } from '../activities/course-report'
import { countProgress, emptyProgress, type ProgressCounts } from '../activities/progress-counts'
import type { Activity, Goal } from '../activities/ports'
import type { ActivityKind, AttendanceStatus, CoachingSkill, GoalHorizon, GoalStatus, VerificationStatus } from '../activities/vocabulary'
import type { Id } from '../ids'
import { dayOf, type Day } from '../term/calendar-day'

/** What one entry of a student's record adds to their progress: the fields counting and reports read, nothing else. */
export type RecordEntry =
  | { of: 'activity', kind: ActivityKind, status: VerificationStatus, skill: CoachingSkill | null, date: Day }
  | { of: 'goal', horizon: GoalHorizon, status: GoalStatus }
  | { of: 'reflection' }
  | { of: 'contact' }

/**
 * The student's attendance of one field trip that still takes place, with its day and start (ISO; absent in entries
 * kept before it was): a trip counts only once it has started, whatever rows exist.
 */
export interface TripEntry { day: Day, status: AttendanceStatus, startsAt?: string }

/**
 * One student's progress in one course: their live record entries by id and their attendance by trip id. Keyed by
 * ids, so setting an entry twice, or from a replayed event, changes nothing.
 */
export interface StudentProgress { studentUserId: Id, records: Readonly<Record<Id, RecordEntry>>, trips: Readonly<Record<Id, TripEntry>> }

export const activityEntry = (a: Pick<Activity, 'kind' | 'status' | 'skill' | 'date'>): RecordEntry =>
  ({ of: 'activity', kind: a.kind, status: a.status, skill: a.skill ?? null, date: dayOf(a.date) })
export const goalEntry = (g: Pick<Goal, 'horizon' | 'status'>): RecordEntry => ({ of: 'goal', horizon: g.horizon, status: g.status })
export const noteEntry = (kind: 'reflection' | 'contact'): RecordEntry => ({ of: kind })

/** The source records of some students, as the progress loader reads them (attendance of live trips only). */
export interface SourceRows {
  activities: ReadonlyArray<Pick<Activity, '_id' | 'studentUserId' | 'kind' | 'status' | 'skill' | 'date'>>
  goals: ReadonlyArray<Pick<Goal, '_id' | 'studentUserId' | 'horizon' | 'status'>>
  reflections: ReadonlyArray<{ _id: Id, studentUserId: Id }>
  contacts: ReadonlyArray<{ _id: Id, studentUserId: Id }>
  attendance: ReadonlyArray<{ fieldTripId: Id, studentUserId: Id, status: AttendanceStatus, day: Day, startsAt: string }>
}

/** Source rows grouped into each student's progress (students without any entry are left out). */
export function studentProgressOf (rows: SourceRows): StudentProgress[] {
  type Building = { studentUserId: Id, records: Record<Id, RecordEntry>, trips: Record<Id, TripEntry> }
  const byStudent = new Map<Id, Building>()
  const of = (studentUserId: Id): Building => {
    const found = byStudent.get(studentUserId)
    if (found) return found
    const made: Building = { studentUserId, records: {}, trips: {} }
    byStudent.set(studentUserId, made)
    return made
  }
  for (const a of rows.activities) of(a.studentUserId).records[a._id] = activityEntry(a)
  for (const g of rows.goals) of(g.studentUserId).records[g._id] = goalEntry(g)
  for (const r of rows.reflections) of(r.studentUserId).records[r._id] = noteEntry('reflection')
  for (const c of rows.contacts) of(c.studentUserId).records[c._id] = noteEntry('contact')
  for (const t of rows.attendance) of(t.studentUserId).trips[t.fieldTripId] = { day: t.day, status: t.status, startsAt: t.startsAt }
  return [...byStudent.values()]
}

/** Whether a trip entry counts at `now`: only a trip that has started (a future trip never does, whatever was recorded). */
export const tripHappened = (trip: TripEntry, now: Date): boolean => trip.startsAt === undefined || Date.parse(trip.startsAt) <= now.getTime()

/** What progress counting and the course report read, for these students. */
export function reportInputOf (students: readonly StudentProgress[], now = new Date()): ReportInput {
  const input = { activities: [], goals: [], reflections: [], contacts: [], attendance: [], attendedOn: [] } as {
    [K in keyof ReportInput]: Array<ReportInput[K][number]>
  }
  for (const { studentUserId, records, trips } of students) {
    for (const entry of Object.values(records)) {
      if (entry.of === 'activity') input.activities.push({ studentUserId, kind: entry.kind, status: entry.status, skill: entry.skill, date: entry.date })
      else if (entry.of === 'goal') input.goals.push({ studentUserId, horizon: entry.horizon, status: entry.status })
      else if (entry.of === 'reflection') input.reflections.push({ studentUserId })
      else input.contacts.push({ studentUserId })
    }
    for (const trip of Object.values(trips)) {
      if (!tripHappened(trip, now)) continue
      input.attendance.push({ studentUserId, status: trip.status })
      if (trip.status === 'present') input.attendedOn.push({ studentUserId, date: trip.day })
    }
  }
  return input
}

/** Where a student's record stands, as their mentor's home page shows it. */
export interface MenteeProgress { pending: number, returned: number, counts: ProgressCounts }
/** A mentee in their mentor's read document: who they are (as the roster named them when paired) and their progress. */
export interface MenteeLine extends MenteeProgress { name: string, email: string }

export function menteeProgressOf (progress: StudentProgress): MenteeProgress {
  const input = reportInputOf([progress])
  return {
    pending: input.activities.filter((a) => a.status === 'pending').length,
    returned: input.activities.filter((a) => a.status === 'rejected').length,
    counts: countProgress([progress.studentUserId], input).get(progress.studentUserId) ?? emptyProgress()
  }
}
