import type { CompetencyGrowth } from '../competencies/growth-statistics'
import type { Assessment } from '../competencies/ports'
import { POINT_KEYS, type PointKey } from '../competencies/vocabulary'
import type { Id } from '../ids'
import { participatingStudents, type CourseTable } from '../progress/course-table'
import type { Term } from '../term/term'

/** What the programme did, in numbers a department reads: all of them course totals, none about one student. */
export interface Participation {
  students: number
  pairedStudents: number
  /** Distinct pool mentors with at least one paired student. */
  mentors: number
  /** Pairs in which something was recorded (an activity or an attended field trip). */
  activePairs: number
  sessions: number
  coaching: number
  meetingsObserved: number
  fieldTripsAttended: number
  contacts: number
  goalsSet: number
  goalsAchieved: number
  reflections: number
}

export interface ProgrammeReport {
  term: Term | null
  participation: Participation
  assessments: Array<{ point: PointKey, self: number, mentor: number }>
  /** Growth measured by the mentors' ratings, withheld per figure below the minimum. */
  growth: CompetencyGrowth[]
  completion: { students: number, complete: number, rulesSaved: boolean }
}

/** Participation from the course table: the participating students' lines (verified activities only). */
export function participationOf (table: CourseTable): Participation {
  const students = participatingStudents(table).map(([, row]) => row)
  const paired = students.filter((row) => row.mentorId !== null)
  const sum = (pick: (row: typeof students[number]) => number): number => students.reduce((n, row) => n + pick(row), 0)
  return {
    students: students.length,
    pairedStudents: paired.length,
    mentors: new Set(paired.map((row) => row.mentorId)).size,
    activePairs: paired.filter((row) => row.line !== null && (row.line.activityDays.length > 0 || row.line.tripDays.length > 0)).length,
    sessions: sum((row) => row.line?.progress.verified.session ?? 0),
    coaching: sum((row) => row.line?.progress.verified.coaching ?? 0),
    meetingsObserved: sum((row) => row.line?.progress.verified.meeting ?? 0),
    fieldTripsAttended: sum((row) => row.line?.progress.fieldTripsAttended ?? 0),
    contacts: sum((row) => row.line?.contacts ?? 0),
    goalsSet: sum((row) => (row.line?.progress.goalsSet.short ?? 0) + (row.line?.progress.goalsSet.long ?? 0)),
    goalsAchieved: sum((row) => (row.line?.progress.goalsAchieved.short ?? 0) + (row.line?.progress.goalsAchieved.long ?? 0)),
    reflections: sum((row) => row.line?.progress.reflections ?? 0)
  }
}

/** Submitted assessments per point and side, of the students given. */
export function assessmentCounts (assessments: readonly Assessment[], students: ReadonlySet<Id>): ProgrammeReport['assessments'] {
  return POINT_KEYS.map((point) => ({
    point,
    self: assessments.filter((a) => a.point === point && a.side === 'self' && students.has(a.studentUserId)).length,
    mentor: assessments.filter((a) => a.point === point && a.side === 'mentor' && students.has(a.studentUserId)).length
  }))
}
