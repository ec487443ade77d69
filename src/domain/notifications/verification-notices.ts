import type { DomainEvent } from '../events/domain-events'
import { recipientOf, type Notice } from './notice'
import type { PairingDirectory } from './ports'

type RecordEvent = Extract<DomainEvent, { type: 'RecordCreated' | 'RecordChanged' }>

/** A student's own new or changed activity waits for their mentor's verification; what a mentor records does not. */
export const waitsForMentor = (event: DomainEvent): event is RecordEvent =>
  (event.type === 'RecordCreated' || event.type === 'RecordChanged') && event.kind === 'activity' && event.byUserId === event.studentUserId

/** The notice to the student's mentor that an entry waits for them (a daily summary unless they chose otherwise). */
export async function verificationNotices (event: RecordEvent, directory: Pick<PairingDirectory, 'courseTitle' | 'pendingEntry' | 'mentorOf' | 'mentors'>): Promise<Notice[]> {
  const [entry, mentorId] = await Promise.all([directory.pendingEntry(event.courseId, event.recordId), directory.mentorOf(event.courseId, event.studentUserId)])
  if (entry === null || mentorId === null) return []
  const [course, mentors] = await Promise.all([directory.courseTitle(event.courseId), directory.mentors(event.courseId, [mentorId])])
  const mentor = mentors.get(mentorId)
  if (mentor === undefined) return []
  return [{
    to: { address: mentor.email, name: mentor.name }, inbox: recipientOf.mentor(mentorId), key: `v-${event.recordId}`,
    subject: `${entry.studentName} recorded ${/^[aeiou]/i.test(entry.what) ? 'an' : 'a'} ${entry.what} of ${entry.date}: please verify it`,
    template: 'verification-waiting', role: 'mentor', page: '/mentor/verifications',
    data: { course, name: mentor.name, entry }
  }]
}
