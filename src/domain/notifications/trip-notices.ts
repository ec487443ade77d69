import type { DomainEvent } from '../events/domain-events'
import { tripEvent, type CalendarEvent, type TripTimes } from '../calendar/calendar-event'
import { recipientOf, type Notice } from './notice'
import type { PairingDirectory } from './ports'

/** A field trip as its emails describe it. */
export interface TripFacts extends TripTimes { title: string, when: string, place: string, organiser: string, description: string, startsAt: Date, cancelled: boolean, changedAt: Date }

type TripEvent = Extract<DomainEvent, { type: 'TripPublished' | 'TripChanged' | 'TripCancelled' }>

const WHAT = {
  TripPublished: { subject: (t: TripFacts) => `Field trip: ${t.title}, ${t.when}`, template: 'trip-invited' },
  TripChanged: { subject: (t: TripFacts) => `Field trip changed: ${t.title}, now ${t.when}`, template: 'trip-changed' },
  TripCancelled: { subject: (t: TripFacts) => `Field trip cancelled: ${t.title}, ${t.when}`, template: 'trip-cancelled' },
  reminder: { subject: (t: TripFacts) => `Tomorrow: ${t.title}, ${t.when}`, template: 'trip-reminder' },
  uninvited: { subject: (t: TripFacts) => `Field trip no longer for you: ${t.title}`, template: 'trip-uninvited' },
  seat: { subject: (t: TripFacts) => `A seat for you: ${t.title}, ${t.when}`, template: 'trip-seat' }
} as const

type Directory = Pick<PairingDirectory, 'courseTitle' | 'students'>

/** The trip as a calendar entry: invitations, changes, cancellations and reminders all carry it, one uid throughout. */
const calendarOf = (tripId: string, trip: TripFacts, uninvited: boolean): CalendarEvent =>
  tripEvent(tripId, { ...trip, description: trip.description || `Field trip organised by ${trip.organiser}`, cancelled: trip.cancelled || uninvited })

async function tripNotices (courseId: string, tripId: string, trip: TripFacts, who: ReadonlyArray<{ userId: string, what: typeof WHAT[keyof typeof WHAT] }>, directory: Directory): Promise<Notice[]> {
  const [course, students] = await Promise.all([directory.courseTitle(courseId), directory.students(courseId, who.map((w) => w.userId))])
  return who.flatMap(({ userId, what }): Notice[] => {
    const student = students.get(userId)
    if (student === undefined) return []
    return [{
      to: { address: student.email, name: student.name }, inbox: recipientOf.user(userId), key: `t-${userId}`, subject: what.subject(trip),
      template: what.template, role: 'student', page: '/student/field-trips', data: { course, name: student.name, trip },
      calendar: calendarOf(tripId, trip, what === WHAT.uninvited)
    }]
  })
}

/**
 * The notices a field trip's publication, change or cancellation sends the students it invites (a change also those
 * it no longer invites): what, when, where, who organises it.
 */
export async function tripEmails (event: TripEvent, trip: TripFacts | null, directory: Directory): Promise<Notice[]> {
  if (trip === null) return []
  const dropped = event.type === 'TripChanged' ? event.uninvitedUserIds : []
  return await tripNotices(event.courseId, event.tripId, trip, [
    ...event.invitedUserIds.map((userId) => ({ userId, what: WHAT[event.type] })),
    ...dropped.map((userId) => ({ userId, what: WHAT.uninvited }))
  ], directory)
}

/**
 * The reminder the day before, to the invited students who did not say they are not coming. Nothing when the trip was cancelled or moved since the reminder was scheduled (the moved trip has its own).
 */
export async function tripReminders (courseId: string, tripId: string, startsAt: string, trip: TripFacts | null, going: readonly string[], directory: Directory): Promise<Notice[]> {
  if (trip === null || trip.cancelled || trip.startsAt.toISOString() !== startsAt) return []
  return await tripNotices(courseId, tripId, trip, going.map((userId) => ({ userId, what: WHAT.reminder })), directory)
}

/** The student promoted from a trip's waitlist learns that they now have a seat (nothing when it was cancelled since). */
export async function tripSeatNotices (courseId: string, tripId: string, studentUserId: string, trip: TripFacts | null, directory: Directory): Promise<Notice[]> {
  if (trip === null || trip.cancelled) return []
  return await tripNotices(courseId, tripId, trip, [{ userId: studentUserId, what: WHAT.seat }], directory)
}
