import type { DomainEvent } from '../events/domain-events'
import type { CalendarEvent } from '../calendar/calendar-event'
import { recipientOf, type Notice } from './notice'
import type { PairingDirectory } from './ports'

/** A booked session as its notices tell it. */
export interface SessionFacts {
  when: string
  minutes: number
  place: string
  videoLink: string
  note: string
  studentName: string
  mentorName: string
  calendar: CalendarEvent
}

type SessionEvent = Extract<DomainEvent, { type: 'SessionBooked' | 'SessionRescheduled' | 'SessionCancelled' }>

const WHAT = {
  SessionBooked: { subject: (by: string, s: SessionFacts) => `${by} booked a 1:1 session with you: ${s.when}`, template: 'session-booked' },
  SessionRescheduled: { subject: (by: string, s: SessionFacts) => `${by} moved your 1:1 session to ${s.when}`, template: 'session-moved' },
  SessionCancelled: { subject: (by: string, s: SessionFacts) => `${by} cancelled your 1:1 session of ${s.when}`, template: 'session-cancelled' }
} as const

/**
 * The notice to the other person of a booking, moved or cancelled session: the mentor when the student acted, the
 * student when the mentor did; with the session as a calendar file. `previous` is a moved session's earlier time.
 */
export async function sessionNotices (
  event: SessionEvent, session: SessionFacts | null, previous: string | null,
  directory: Pick<PairingDirectory, 'courseTitle' | 'students' | 'mentorOf' | 'mentors'>
): Promise<Notice[]> {
  if (session === null) return []
  const what = WHAT[event.type]
  const course = await directory.courseTitle(event.courseId)
  const data = (name: string, withName: string, byName: string, toMentor: boolean) => ({ course, name, toMentor, session: { ...session, withName, byName, previousWhen: previous ?? '' } })
  if (event.byUserId === event.studentUserId) {
    const mentorId = await directory.mentorOf(event.courseId, event.studentUserId)
    const mentor = mentorId === null ? undefined : (await directory.mentors(event.courseId, [mentorId])).get(mentorId)
    if (mentorId === null || mentor === undefined) return []
    return [{
      to: { address: mentor.email, name: mentor.name }, inbox: recipientOf.mentor(mentorId), key: `s-${event.bookingId}`,
      subject: what.subject(session.studentName, session), template: what.template, role: 'mentor', page: '/mentor/availability',
      data: data(mentor.name, session.studentName, session.studentName, true), calendar: session.calendar
    }]
  }
  const student = (await directory.students(event.courseId, [event.studentUserId])).get(event.studentUserId)
  if (student === undefined) return []
  return [{
    to: { address: student.email, name: student.name }, inbox: recipientOf.user(event.studentUserId), key: `s-${event.bookingId}`,
    subject: what.subject(session.mentorName, session), template: what.template, role: 'student', page: '/student/booking',
    data: data(student.name, session.mentorName, session.mentorName, false), calendar: session.calendar
  }]
}
