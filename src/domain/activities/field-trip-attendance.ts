import type { z } from 'zod'
import { Errors } from '../../errors'
import type { EventPublisher } from '../events/domain-events'
import { sameId, type Id } from '../ids'
import type { Actor } from './access'
import { randomCheckInCode } from './check-in-code'
import { fieldsError, invalidField } from './field-error'
import type { FieldTripService } from './field-trip-service'
import { tripPlaceTime } from './trip-time'
import type { Attendance, AttendanceRepository, CheckIn, FieldTrip, FieldTripRepository, FieldTripSettings, Rsvp, RsvpRepository } from './ports'
import type { AttendanceSheet, CheckInOpen, CheckInWindowInput } from './record-fields'
import { checkInSpan, DEFAULT_CHECK_IN_WINDOW, hasStarted, type CheckInWindow } from './trip-clock'
import type { RsvpAnswer } from './vocabulary'

export interface AttendanceServiceDeps {
  trips: FieldTripService
  tripRepo: FieldTripRepository
  rsvps: RsvpRepository
  attendance: AttendanceRepository
  settings: FieldTripSettings
  events: EventPublisher
  nextCode?: () => string
  now?: () => Date
}

const invited = (trip: FieldTrip, student: Id): boolean => trip.invitedUserIds.some((id) => sameId(id, student))

/** A student's place on a trip's waitlist (1: next to get a seat); null when they are not waiting. */
export function waitlistPlace (rsvps: readonly Rsvp[], student: Id): number | null {
  const waiting = rsvps.filter((r) => r.answer === 'waiting')
    .sort((a, b) => a.answeredAt.getTime() - b.answeredAt.getTime() || String(a._id).localeCompare(String(b._id)))
  const at = waiting.findIndex((r) => sameId(r.studentUserId, student))
  return at < 0 ? null : at + 1
}

/**
 * Who comes and who came: invited students RSVP within the capacity; the organiser keeps the attendance checklist
 * or opens a check-in window whose code students enter at the event. Only invited students are ever recorded.
 */
export function createAttendanceService ({ trips, tripRepo, rsvps, attendance, settings, events, nextCode = randomCheckInCode, now = () => new Date() }: AttendanceServiceDeps) {
  const windowOf = async (courseId: Id): Promise<CheckInWindow> => await settings.checkInWindow(courseId) ?? DEFAULT_CHECK_IN_WINDOW

  return {
    /** A no gives the seat back to the waitlist; `waitlistPlace` says where a student who must wait stands. */
    rsvp: async (actor: Actor, id: Id, answer: RsvpAnswer): Promise<{ trip: FieldTrip, rsvps: Rsvp[], waitlistPlace: number | null }> => {
      if (actor.role !== 'student') throw Errors.forbidden('Only invited students answer invitations')
      const trip = await trips.get(actor, id)
      if (hasStarted(trip, now())) throw invalidField('answer', 'cannot be changed: the trip has already started', 409)
      const before = (await rsvps.ofTrip(trip._id)).find((r) => sameId(r.studentUserId, actor.userId))
      const outcome = await rsvps.answer(trip, actor.userId, answer, now())
      if (outcome === 'full') throw invalidField('answer', 'cannot be yes: the trip is full', 409)
      await trips.trail(actor, 'rsvp', trip, { answer: before?.answer ?? null }, { answer: outcome === 'waiting' ? 'waiting' : answer })
      await events.publish({ type: 'RsvpChanged', courseId: actor.courseId, tripId: trip._id, studentUserId: actor.userId })
      if (answer === 'no' || outcome === 'waiting') await trips.promoteWaiting(actor, trip)
      const after = await rsvps.ofTrip(trip._id)
      return { trip, rsvps: after, waitlistPlace: waitlistPlace(after, actor.userId) }
    },

    /** How long before and after its trips a course's check-in codes work. */
    checkInWindow: async (actor: Actor): Promise<CheckInWindow> => await windowOf(actor.courseId),
    setCheckInWindow: async (actor: Actor, window: z.output<typeof CheckInWindowInput>): Promise<CheckInWindow> => {
      if (actor.role !== 'instructor') throw Errors.forbidden('Only instructors change when check-in codes work')
      await settings.saveCheckInWindow(actor.courseId, window)
      return window
    },

    /** The checklist rows of a trip the actor manages, with the latest check-in window. */
    sheet: async (actor: Actor, id: Id): Promise<{ trip: FieldTrip, rows: Attendance[], checkIn: CheckIn | null }> => {
      const trip = await trips.manage(actor, id)
      const [rows, checkIn] = await Promise.all([attendance.ofTrip(trip._id), attendance.latestOf(trip._id)])
      return { trip, rows, checkIn }
    },

    mark: async (actor: Actor, id: Id, { entries }: z.output<typeof AttendanceSheet>): Promise<Attendance[]> => {
      const trip = await trips.manage(actor, id)
      if (!hasStarted(trip, now())) throw Errors.conflict(`Attendance can be recorded once the trip has started, at ${tripPlaceTime(trip, trip.startsAt)}.`)
      const invitees = new Set(trip.invitedUserIds)
      const strangers = entries.flatMap((e, i) => invitees.has(e.studentUserId) ? [] : [{ field: `entries.${i}.studentUserId`, message: 'was not invited to this field trip' }])
      if (strangers.length > 0) throw fieldsError(strangers)
      const before = await attendance.ofTrip(trip._id)
      const marks = entries.map((e) => ({ studentUserId: e.studentUserId, status: e.status }))
      await attendance.mark(actor.courseId, trip._id, marks, actor.userId, now())
      const after = await attendance.ofTrip(trip._id)
      await trips.trail(actor, 'attendance', trip, { attendance: before }, { attendance: after })
      await events.publish({ type: 'AttendanceMarked', courseId: actor.courseId, tripId: trip._id, studentUserIds: [...new Set(marks.map((m) => m.studentUserId))] })
      return after
    },

    /**
     * Opens a new window (ending any still open) under a code never used before; only inside the span around the trip
     * the course allows, and never past its end.
     */
    openCheckIn: async (actor: Actor, id: Id, { minutes, opensAt }: z.output<typeof CheckInOpen>): Promise<CheckIn> => {
      const trip = await trips.manage(actor, id)
      const at = now()
      const opens = opensAt ?? at
      const { from, until } = checkInSpan(trip, await windowOf(actor.courseId))
      if (opens < from || opens >= until) throw Errors.conflict(`Check-in for this trip can only be opened between ${tripPlaceTime(trip, from)} and ${tripPlaceTime(trip, until)}.`)
      await attendance.closeOpen(trip._id, at)
      const closes = new Date(Math.min(opens.getTime() + minutes * 60_000, until.getTime()))
      const window = await attendance.openCheckIn({ courseId: actor.courseId, fieldTripId: trip._id, opensAt: opens, closesAt: closes, openedBy: actor.userId }, nextCode)
      await trips.trail(actor, 'check-in-open', trip, null, window)
      return window
    },

    /** A student enters the code shown at the event. Checking in twice changes nothing the second time. */
    checkIn: async (actor: Actor, code: string): Promise<{ trip: FieldTrip, already: boolean }> => {
      if (actor.role !== 'student') throw Errors.forbidden('Only students check in')
      const window = await attendance.findByCode(code)
      if (!window || !sameId(window.courseId, actor.courseId)) throw invalidField('code', 'is not a check-in code of this course', 404)
      const at = now()
      const trip = await tripRepo.find(actor.courseId, window.fieldTripId)
      if (!trip) throw invalidField('code', 'is not a check-in code of this course', 404)
      if (at < window.opensAt) throw invalidField('code', `is not open yet: check-in opens at ${tripPlaceTime(trip, window.opensAt)}`, 409)
      if (at >= window.closesAt) throw invalidField('code', `has expired: check-in closed at ${tripPlaceTime(trip, window.closesAt)}`, 409)
      if (!invited(trip, actor.userId)) throw invalidField('code', 'is for a field trip you are not invited to', 403)
      // The trip may have moved since the code was opened: its own span decides too.
      const { from, until } = checkInSpan(trip, await windowOf(actor.courseId))
      if (at < from) throw invalidField('code', `is not valid yet: check-in for ${trip.title} opens at ${tripPlaceTime(trip, from)}`, 409)
      if (at >= until) throw invalidField('code', `is no longer valid: check-in for ${trip.title} closed at ${tripPlaceTime(trip, until)}`, 409)
      const { already, row } = await attendance.checkIn(actor.courseId, trip._id, actor.userId, at)
      if (!already) {
        await trips.trail(actor, 'check-in', trip, null, row)
        await events.publish({ type: 'CheckedIn', courseId: actor.courseId, tripId: trip._id, studentUserId: actor.userId })
      }
      return { trip, already }
    }
  }
}

export type AttendanceService = ReturnType<typeof createAttendanceService>
