import { reportRows, type ReportRow, type ReportStudent } from '../activities/course-report'
import { emptyProgress } from '../activities/progress-counts'
import { tookPlace, type ActivityKind } from '../activities/vocabulary'
import type { Id } from '../ids'
import type { CourseRole } from '../launch/roles'
import type { Day } from '../term/calendar-day'
import { reportInputOf, type MenteeProgress, type StudentProgress } from './student-progress'

/** Where a student's record stands, as the course's pages list it: the report's numbers and the days they were active. */
export interface StudentLine extends Pick<ReportRow, 'progress' | 'recorded' | 'verified' | 'pending' | 'contacts' | 'lastActivity'> {
  /** Every activity entry, returned ones too. */
  activities: number
  returned: number
  /** Days of activities (not returned) and of attended field trips, for the weekly chart. */
  activityDays: Day[]
  tripDays: Day[]
}

/** One member of a course in the course table: who they are and, for a student, their mentor and line. */
export interface TableRow {
  role: CourseRole
  /** False for a member the LMS no longer lists (dropped): their row stays, as their membership does. */
  active: boolean
  /** The LMS's test student: listed, never graded. */
  testUser: boolean
  name: string
  email: string
  /** The pool mentor a student is paired with; null when unpaired (and for other roles). */
  mentorId: Id | null
  /** Null until a student records something (and for other roles). */
  line: StudentLine | null
}

/** The course table by user id: every member of the course (as the memberships have them), active or dropped. */
export type CourseTable = ReadonlyMap<Id, TableRow>

/** The table's active members in one role, by user id. */
const activeIn = (table: CourseTable, role: CourseRole): Array<[Id, TableRow]> => [...table].filter(([, row]) => row.active && row.role === role)

/** What a mentor's list shows of a mentee, from their line (null: nothing recorded); as `menteeProgressOf` answers. */
export function menteeProgressOfLine (line: StudentLine | null): MenteeProgress {
  return line === null ? { pending: 0, returned: 0, counts: emptyProgress() } : { pending: line.pending, returned: line.returned, counts: line.progress }
}

export function studentLineOf (progress: StudentProgress): StudentLine | null {
  const input = reportInputOf([progress])
  if (Object.values(input).every((rows) => rows.length === 0)) return null
  const student: ReportStudent = { userId: progress.studentUserId, name: '', email: '', mentorId: null, mentorName: null }
  const { progress: counts, recorded, verified, pending, contacts, lastActivity } = reportRows([student], input)[0] as ReportRow
  return {
    progress: counts, recorded, verified, pending, contacts, lastActivity,
    activities: input.activities.length,
    returned: input.activities.filter((a) => a.status === 'rejected').length,
    activityDays: input.activities.filter((a) => tookPlace(a.status)).map((a) => a.date).sort(),
    tripDays: input.attendedOn.map((t) => t.date).sort()
  }
}

const NO_RECORD: Omit<StudentLine, 'progress'> = {
  recorded: { session: 0, coaching: 0, meeting: 0 } satisfies Record<ActivityKind, number>,
  verified: 0, pending: 0, contacts: 0, lastActivity: null, activities: 0, returned: 0, activityDays: [], tripDays: []
}

/** The course's active students as report rows (the course report's shape), sorted by name. */
export function tableReportRows (table: CourseTable, mentorNames: ReadonlyMap<Id, string>): ReportRow[] {
  return activeIn(table, 'student').map(([userId, row]): ReportRow => {
    const line = row.line ?? { ...NO_RECORD, progress: emptyProgress() }
    return {
      userId, name: row.name, email: row.email, mentorId: row.mentorId,
      mentorName: row.mentorId === null ? null : mentorNames.get(row.mentorId) ?? null,
      progress: line.progress, recorded: line.recorded, verified: line.verified, pending: line.pending, contacts: line.contacts, lastActivity: line.lastActivity
    }
  }).sort((a, b) => a.name.localeCompare(b.name))
}

/** The course at a glance, as the instructor's home page shows it. */
export interface CourseTotals {
  /** Active members by role. */
  members: Record<CourseRole, number>
  /** Active students who recorded at least one activity. */
  activeStudents: number
  /** Activities of active students waiting for their mentor. */
  pending: number
}

export const noTotals = (): CourseTotals => ({ members: { instructor: 0, mentor: 0, student: 0 }, activeStudents: 0, pending: 0 })

export function totalsOf (rows: Iterable<TableRow>): CourseTotals {
  const totals = noTotals()
  for (const row of rows) {
    if (!row.active) continue
    totals.members[row.role]++
    if (row.role !== 'student') continue
    if ((row.line?.activities ?? 0) > 0) totals.activeStudents++
    totals.pending += row.line?.pending ?? 0
  }
  return totals
}

export function sumTotals (parts: Iterable<CourseTotals>): CourseTotals {
  const sum = noTotals()
  for (const part of parts) {
    for (const role of Object.keys(sum.members) as CourseRole[]) sum.members[role] += part.members[role]
    sum.activeStudents += part.activeStudents
    sum.pending += part.pending
  }
  return sum
}

/** Days of the active students' activities (not returned) and attended field trips, for the weekly chart. */
export function activeStudentDays (table: CourseTable): { activityDays: Day[], tripDays: Day[] } {
  const students = activeIn(table, 'student').map(([, row]) => row)
  return { activityDays: students.flatMap((row) => row.line?.activityDays ?? []), tripDays: students.flatMap((row) => row.line?.tripDays ?? []) }
}

/** The students completion and grades are about: active, not the LMS's test student; by user id. */
export function participatingStudents (table: CourseTable): Array<[Id, TableRow]> {
  return activeIn(table, 'student').filter(([, row]) => !row.testUser)
}

/** Participating students by name, as lists of people show them. */
export const participantsOf = (readTable: (courseId: Id) => Promise<CourseTable>) => async (courseId: Id): Promise<Array<{ userId: Id, name: string }>> =>
  participatingStudents(await readTable(courseId)).map(([userId, row]) => ({ userId, name: row.name || row.email || 'Unnamed' })).sort((a, b) => a.name.localeCompare(b.name))

/** Active members with the Mentor role, by name: whom the instructor may add to the pool. */
export const lmsMentorsIn = (table: CourseTable): Array<{ userId: Id, name: string, email: string }> =>
  activeIn(table, 'mentor').map(([userId, row]) => ({ userId, name: row.name, email: row.email }))
    .sort((a, b) => a.name.localeCompare(b.name))
