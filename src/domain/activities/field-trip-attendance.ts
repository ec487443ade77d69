import type { z } from 'zod'
import { Errors } from '../../errors'
import type { EventPublisher } from '../events/domain-events'
import { sameId, type Id } from '../ids'
import type { Actor } from './access'
import { randomCheckInCode } from './check-in-code'
import { fieldsError, invalidField } from './field-error'
import type { FieldTripService } from './field-trip-service'
import { tripZone } from './trip-time'
import { dayAndTimeText, zoneShortLabel } from '../time/zones'
import type { Attendance, AttendanceRepository, CheckIn, FieldTrip, FieldTripRepository, Rsvp, RsvpRepository } from './ports'
import type { AttendanceSheet, CheckInOpen } from './record-fields'
import type { RsvpAnswer } from './vocabulary'

export interface AttendanceServiceDeps {
  trips: FieldTripService
  tripRepo: FieldTripRepository
  rsvps: RsvpRepository
  attendance: AttendanceRepository
  events: EventPublisher
  nextCode?: () => string
  now?: () => Date
}

const invited = (trip: FieldTrip, student: Id): boolean => trip.invitedUserIds.some((id) => sameId(id, student))

/**
 * Who comes and who came: invited students RSVP within the capacity; the organiser keeps the attendance checklist
 * or opens a check-in window whose code students enter at the event. Only invited students are ever recorded.
 */
export function createAttendanceService ({ trips, tripRepo, rsvps, attendance, events, nextCode = randomCheckInCode, now = () => new Date() }: AttendanceServiceDeps) {
  return {
    rsvp: async (actor: Actor, id: Id, answer: RsvpAnswer): Promise<{ trip: FieldTrip, rsvps: Rsvp[] }> => {
      if (actor.role !== 'student') throw Errors.forbidden('Only invited students answer invitations')
      const trip = await trips.get(actor, id)
      if (trip.startsAt <= now()) throw invalidField('answer', 'cannot be changed: the trip has already started', 409)
      const before = (await rsvps.ofTrip(trip._id)).find((r) => sameId(r.studentUserId, actor.userId))
      if (await rsvps.answer(trip, actor.userId, answer, now()) === 'full') throw invalidField('answer', 'cannot be yes: the trip is full', 409)
      await trips.trail(actor, 'rsvp', trip, { answer: before?.answer ?? null }, { answer })
      await events.publish({ type: 'RsvpChanged', courseId: actor.courseId, tripId: trip._id, studentUserId: actor.userId })
      return { trip, rsvps: await rsvps.ofTrip(trip._id) }
    },

    /** The checklist rows of a trip the actor manages, with the latest check-in window. */
    sheet: async (actor: Actor, id: Id): Promise<{ trip: FieldTrip, rows: Attendance[], checkIn: CheckIn | null }> => {
      const trip = await trips.manage(actor, id)
      const [rows, checkIn] = await Promise.all([attendance.ofTrip(trip._id), attendance.latestOf(trip._id)])
      return { trip, rows, checkIn }
    },

    mark: async (actor: Actor, id: Id, { entries }: z.output<typeof AttendanceSheet>): Promise<Attendance[]> => {
      const trip = await trips.manage(actor, id)
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

    /** Opens a new window (ending any still open) under a code never used before. */
    openCheckIn: async (actor: Actor, id: Id, { minutes, opensAt }: z.output<typeof CheckInOpen>): Promise<CheckIn> => {
      const trip = await trips.manage(actor, id)
      const at = now()
      const opens = opensAt ?? at
      await attendance.closeOpen(trip._id, at)
      const window = await attendance.openCheckIn({
        courseId: actor.courseId, fieldTripId: trip._id, opensAt: opens, closesAt: new Date(opens.getTime() + minutes * 60_000), openedBy: actor.userId
      }, nextCode)
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
      const there = (instant: Date) => `${dayAndTimeText(instant, tripZone(trip))} ${zoneShortLabel(tripZone(trip))}`
      if (at < window.opensAt) throw invalidField('code', `is not open yet: check-in opens at ${there(window.opensAt)}`, 409)
      if (at >= window.closesAt) throw invalidField('code', `has expired: check-in closed at ${there(window.closesAt)}`, 409)
      if (!invited(trip, actor.userId)) throw invalidField('code', 'is for a field trip you are not invited to', 403)
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
