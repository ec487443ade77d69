import type { Id } from '../ids'
import { dayOf, daysBetween, type Day } from '../term/calendar-day'
import { recipientOf, type Notice } from './notice'

/** How many days without activity make a pair quiet, unless the instructor sets it. */
export const DEFAULT_QUIET_DAYS = 21
export const QUIET_DAYS_RANGE = { min: 3, max: 120 } as const

/** A pair with no recorded activity for a while: listed for the instructor as at risk, and nudged once per quiet spell. */
export interface QuietPair {
  studentUserId: Id
  studentName: string
  studentEmail: string
  mentorId: Id
  /** The day of the student's last activity or attended trip; null when there was none since they were paired. */
  lastActivity: Day | null
  /** Days since the last activity, or since they were paired when there was none. */
  quietFor: number
}

/** The pairs of a course quiet for `days` or more by `now`, the longest quiet first. */
export function quietPairsOf (
  pairs: ReadonlyArray<{ studentUserId: Id, mentorId: Id, pairedAt: Date }>,
  students: ReadonlyMap<Id, { name: string, email: string, lastActivity: Day | null }>,
  days: number,
  now: Date
): QuietPair[] {
  const todayIs = dayOf(now)
  return pairs.flatMap((pair): QuietPair[] => {
    const student = students.get(pair.studentUserId)
    if (student === undefined) return []
    const paired = dayOf(pair.pairedAt)
    const since = student.lastActivity !== null && student.lastActivity > paired ? student.lastActivity : paired
    const quietFor = daysBetween(since, todayIs)
    if (quietFor < days) return []
    return [{ studentUserId: pair.studentUserId, studentName: student.name, studentEmail: student.email, mentorId: pair.mentorId, lastActivity: student.lastActivity, quietFor }]
  }).sort((a, b) => b.quietFor - a.quietFor || a.studentName.localeCompare(b.studentName))
}

/** The nudge to both sides of a quiet pair: what to do next, in a line. */
export function quietNotices (course: string, pair: QuietPair, mentor: { name: string, email: string }): Notice[] {
  const data = { course, student: pair.studentName, mentor: mentor.name, days: pair.quietFor, never: pair.lastActivity === null }
  return [{
    to: { address: pair.studentEmail, name: pair.studentName }, inbox: recipientOf.user(pair.studentUserId), key: `qs-${pair.studentUserId}`,
    subject: `Nothing recorded with ${mentor.name} for ${pair.quietFor} days — plan your next meeting`,
    template: 'quiet-student', role: 'student', page: '/student', data: { ...data, name: pair.studentName }
  }, {
    to: { address: mentor.email, name: mentor.name }, inbox: recipientOf.mentor(pair.mentorId), key: `qm-${pair.studentUserId}`,
    subject: `Nothing recorded with ${pair.studentName} for ${pair.quietFor} days — check in with them`,
    template: 'quiet-mentor', role: 'mentor', page: '/mentor/mentees', data: { ...data, name: mentor.name }
  }]
}
