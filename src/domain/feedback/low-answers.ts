import { POINT_LABELS } from '../competencies/vocabulary'
import type { Id } from '../ids'
import type { RelationshipCheckIn, SessionFeedback } from './ports'

/** A low answer as the at-risk list shows it: whose pairing, when, why (in words), and the comment. */
export interface LowAnswer { studentUserId: Id, date: Date, reason: string, comment: string }

const by = (side: 'student' | 'mentor'): string => side === 'student' ? 'the student' : 'the mentor'

/** Low session ratings and low relationship check-ins together, the newest first. */
export function lowAnswers (sessions: readonly SessionFeedback[], checkIns: readonly RelationshipCheckIn[]): LowAnswer[] {
  return [
    ...sessions.map((f) => ({ studentUserId: f.studentUserId, date: f.at, reason: `Session of ${f.sessionDate.toISOString().slice(0, 10)} rated ${f.rating} of 5 for usefulness by ${by(f.side)}`, comment: f.comment })),
    ...checkIns.map((c) => ({ studentUserId: c.studentUserId, date: c.at, reason: `Relationship check-in (${POINT_LABELS[c.point]}) rated ${c.rating} of 5 by ${by(c.side)}`, comment: c.comment }))
  ].sort((a, b) => b.date.getTime() - a.date.getTime())
}
