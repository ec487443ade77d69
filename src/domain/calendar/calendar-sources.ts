import type { FieldTrip, RsvpRepository } from '../activities/ports'
import type { BookingService } from '../booking/booking-service'
import { sessionEntry } from '../booking/session-calendar'
import type { FieldTripService } from '../activities/field-trip-service'
import { sameId } from '../ids'
import type { CourseRole } from '../launch/roles'
import { tripEvent, type CalendarEvent } from './calendar-event'
import { keyedMilestones, milestoneEvent, type KeyedMilestone } from './milestone-events'
import type { CalendarCourse, CalendarReader, CalendarSource, OpenLink } from './ports'

/** Where each role finds its field trips, and where milestones show (a student's timeline, the instructor's Term page). */
const TRIPS_PAGE = (role: CourseRole): string => `/${role}/field-trips`
const MILESTONES_PAGE: Record<CourseRole, string> = { student: '/student/activities', mentor: '/mentor', instructor: '/instructor/term' }

export const actorOf = (reader: CalendarReader, course: CalendarCourse) => ({ ...reader, term: course.term })

/** A trip as the reader's calendar shows it: no invitees, answers or attendance, only what the trip itself says. */
export const tripEventFor = (open: OpenLink, reader: CalendarReader, trip: FieldTrip): CalendarEvent =>
  tripEvent(trip._id, { ...trip, changedAt: trip.updatedAt, cancelled: false }, open(reader.courseId, reader.role, TRIPS_PAGE(reader.role)))

export const milestoneEventFor = (open: OpenLink, reader: CalendarReader, course: CalendarCourse, milestone: KeyedMilestone): CalendarEvent =>
  milestoneEvent(reader.courseId, milestone, course, open(reader.courseId, reader.role, MILESTONES_PAGE[reader.role]))

export interface TripSourceDeps { trips: Pick<FieldTripService, 'list'>, rsvps: Pick<RsvpRepository, 'ofTrips'>, open: OpenLink }

/**
 * The field trips a person's calendar holds: a student's invitations they did not decline, a mentor's own trips and
 * those their mentees are invited to, every trip of the course for an instructor (the trip list of each role).
 */
export const tripSource = ({ trips, rsvps, open }: TripSourceDeps): CalendarSource => async (reader, course) => {
  let list = await trips.list(actorOf(reader, course))
  if (reader.role === 'student' && list.length > 0) {
    const declined = new Set((await rsvps.ofTrips(list.map((t) => t._id)))
      .filter((r) => sameId(r.studentUserId, reader.userId) && r.answer === 'no').map((r) => String(r.fieldTripId)))
    list = list.filter((t) => !declined.has(String(t._id)))
  }
  return list.map((t) => tripEventFor(open, reader, t))
}

/** The course's milestones, the same for everyone in it. */
export const milestoneSource = (open: OpenLink): CalendarSource => async (reader, course) =>
  keyedMilestones(course.term?.milestones ?? []).map((m) => milestoneEventFor(open, reader, course, m))

export interface SessionSourceDeps { bookings: Pick<BookingService, 'list'>, names: (courseId: string) => Promise<Map<string, string>>, open: OpenLink }

/** The 1:1 sessions booked with the person: a student's own, a mentor's with their mentees (instructors take part in none). */
export const sessionSource = ({ bookings, names, open }: SessionSourceDeps): CalendarSource => async (reader, course) => {
  if (reader.role === 'instructor') return []
  const booked = await bookings.list(actorOf(reader, course))
  if (booked.length === 0) return []
  const named = await names(reader.courseId)
  const page = open(reader.courseId, reader.role, reader.role === 'mentor' ? '/mentor/availability' : '/student/booking')
  return booked.map((b) => ({
    ...sessionEntry(b, { student: named.get(b.studentUserId) ?? 'your mentee', mentor: named.get(b.mentorUserId) ?? 'your mentor' }),
    url: page
  }))
}
