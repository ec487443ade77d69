import type { DomainEvent } from '../events/domain-events'
import type { NoticeEmail } from './pairing-notices'
import type { PairingDirectory } from './ports'

/** A field trip as its emails describe it. */
export interface TripFacts { title: string, when: string, place: string, organiser: string }

type TripEvent = Extract<DomainEvent, { type: 'TripPublished' | 'TripChanged' | 'TripCancelled' }>

const WHAT = {
  TripPublished: { subject: (t: TripFacts) => `Field trip: ${t.title}, ${t.when}`, template: 'trip-invited' },
  TripChanged: { subject: (t: TripFacts) => `Field trip changed: ${t.title}, now ${t.when}`, template: 'trip-changed' },
  TripCancelled: { subject: (t: TripFacts) => `Field trip cancelled: ${t.title}, ${t.when}`, template: 'trip-cancelled' }
} as const

/**
 * The emails a field trip's publication, change or cancellation sends the students it invites (a change also those
 * it no longer invites): what, when, where, who organises it.
 */
export async function tripEmails (event: TripEvent, trip: TripFacts | null, directory: Pick<PairingDirectory, 'courseTitle' | 'students'>): Promise<NoticeEmail[]> {
  if (trip === null) return []
  const dropped = event.type === 'TripChanged' ? event.uninvitedUserIds : []
  const [course, students] = await Promise.all([directory.courseTitle(event.courseId), directory.students(event.courseId, [...event.invitedUserIds, ...dropped])])
  const emailOf = (userId: string, uninvited: boolean): NoticeEmail[] => {
    const student = students.get(userId)
    if (student === undefined || student.email === '') return []
    const what = uninvited ? { subject: (t: TripFacts) => `Field trip no longer for you: ${t.title}`, template: 'trip-uninvited' } : WHAT[event.type]
    return [{
      to: { address: student.email, name: student.name }, key: `t-${userId}`, subject: what.subject(trip),
      template: what.template, role: 'student', data: { course, name: student.name, trip }
    }]
  }
  return [...event.invitedUserIds.flatMap((id) => emailOf(id, false)), ...dropped.flatMap((id) => emailOf(id, true))]
}
