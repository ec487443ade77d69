import type { z } from 'zod'
import { Errors } from '../../errors'
import type { EventPublisher } from '../events/domain-events'
import { sameId, type Id } from '../ids'
import { assertWithinTerm } from '../term/term'
import { dayIn, wallTimeOf } from '../time/zones'
import type { Access, Actor } from './access'
import { invalidField } from './field-error'
import type { AuditTrail, FieldTrip, FieldTripChanges, FieldTripRepository, RsvpRepository } from './ports'
import type { FieldTripCreate, FieldTripPatch } from './record-fields'
import { changedMeanwhile } from './record-service'
import { tripEnd } from './trip-clock'
import { tripInstantOf, tripZone } from './trip-time'

export interface FieldTripServiceDeps {
  trips: FieldTripRepository
  rsvps: RsvpRepository
  access: Access
  audit: AuditTrail
  events: EventPublisher
  /** The active students of a course, whom an instructor's trip (and a trip open to the course) invites by default. */
  courseStudents: (courseId: Id) => Promise<Id[]>
  now?: () => Date
}

const includes = (ids: readonly Id[], id: Id): boolean => ids.some((x) => sameId(x, id))

/** Whether the actor runs this trip: its organising mentor, or any instructor of the course. */
export const manages = (actor: Actor, trip: FieldTrip): boolean =>
  actor.role === 'instructor' || (actor.role === 'mentor' && sameId(trip.organiserUserId, actor.userId))

/**
 * Field trips: a mentor organises them for their own mentees, an instructor for the whole course. Students see the
 * trips they are invited to; mentors also see trips their mentees are invited to.
 */
export function createFieldTripService ({ trips, rsvps, access, audit, events, courseStudents, now = () => new Date() }: FieldTripServiceDeps) {
  const trail = async (actor: Actor, action: string, trip: FieldTrip, before: unknown, after: unknown) =>
    await audit.record({ courseId: actor.courseId, entity: 'field-trip', entityId: trip._id, action, actor: { userId: actor.userId, role: actor.role }, before, after })

  /** The invitees the actor may see on a trip: all for its managers, mentees for other mentors, themselves for students. */
  const visibleInvitees = async (actor: Actor, trip: FieldTrip): Promise<Id[]> => {
    if (manages(actor, trip)) return trip.invitedUserIds
    const mine = await access.studentsOf(actor)
    return mine === 'all' ? trip.invitedUserIds : trip.invitedUserIds.filter((id) => includes(mine, id))
  }

  const get = async (actor: Actor, id: Id): Promise<FieldTrip> => {
    const trip = await trips.find(actor.courseId, id)
    if (!trip || (!manages(actor, trip) && (await visibleInvitees(actor, trip)).length === 0)) throw Errors.notFound('Field trip')
    return trip
  }

  const manage = async (actor: Actor, id: Id): Promise<FieldTrip> => {
    const trip = await get(actor, id)
    if (!manages(actor, trip)) throw Errors.forbidden('Only the trip\'s organiser or an instructor can change it')
    return trip
  }

  /**
   * Mentors invite from their mentees, instructors from the course's active students; no list means all of them. A
   * trip open to the course invites every active student of the course.
   */
  const invitees = async (actor: Actor, asked: readonly Id[] | undefined, openToCourse = false): Promise<Id[]> => {
    if (openToCourse) return await courseStudents(actor.courseId)
    const mine = await access.studentsOf(actor)
    const eligible = mine === 'all' ? await courseStudents(actor.courseId) : mine
    if (asked === undefined) return [...eligible]
    const allowed = new Set(eligible)
    const unknown = asked.filter((id) => !allowed.has(id))
    if (unknown.length > 0) {
      throw invalidField('invitedUserIds', `${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not ${actor.role === 'mentor' ? 'your mentees' : 'active students of this course'}`)
    }
    return [...new Set(asked)]
  }

  /** Seats free below the capacity go to the students waiting longest; each is told. `actor` gave the seat back. */
  const promoteWaiting = async (actor: Actor, trip: FieldTrip): Promise<void> => {
    for (const studentUserId of await rsvps.promoteWaiting(trip, now())) {
      await trail(actor, 'waitlist-promoted', trip, { studentUserId, answer: 'waiting' }, { studentUserId, answer: 'yes' })
      await events.publish({ type: 'WaitlistPromoted', courseId: trip.courseId, tripId: trip._id, studentUserId })
    }
  }

  return {
    get,
    manage,
    promoteWaiting,
    visibleInvitees,
    /** `mentees`: a mentor's students when the caller has just read them (a home page), to save reading them again. */
    list: async (actor: Actor, mentees?: readonly Id[]): Promise<FieldTrip[]> => {
      if (actor.role === 'instructor') return await trips.list(actor.courseId)
      const students = actor.role === 'mentor' && mentees !== undefined ? [...mentees] : await access.studentsOf(actor)
      const invited = students === 'all' ? undefined : students
      return await trips.list(actor.courseId, { invited, ...(actor.role === 'mentor' ? { organiser: actor.userId } : {}) })
    },
    create: async (actor: Actor, input: z.output<typeof FieldTripCreate>): Promise<FieldTrip> => {
      if (actor.role === 'student') throw Errors.forbidden('Field trips are organised by mentors and instructors')
      const timeZone = input.timeZone ?? actor.zone ?? 'UTC'
      const startsAt = tripInstantOf(input.startsAt, timeZone, 'startsAt')
      const endsAt = tripInstantOf(input.endsAt, timeZone, 'endsAt')
      if (endsAt <= startsAt) throw invalidField('endsAt', 'must be after the start')
      assertWithinTerm(actor.term, dayIn(startsAt, timeZone), 'startsAt')
      const invitedUserIds = await invitees(actor, input.invitedUserIds, input.openToCourse)
      const trip = await trips.create({ ...input, startsAt, endsAt, timeZone, invitedUserIds, courseId: actor.courseId, organiserUserId: actor.userId, organiserRole: actor.role })
      await trail(actor, 'create', trip, null, trip)
      await events.publish({ type: 'TripPublished', courseId: actor.courseId, tripId: trip._id, invitedUserIds: trip.invitedUserIds })
      return trip
    },
    update: async (actor: Actor, id: Id, patch: z.output<typeof FieldTripPatch>): Promise<FieldTrip> => {
      const before = await manage(actor, id)
      const { invitedUserIds: asked, startsAt: startText, endsAt: endText, timeZone: newZone, ...fields } = patch
      const changes: FieldTripChanges = { ...fields }
      // A new zone alone keeps the trip's wall-clock times: the place's zone was corrected, not the hour people meet.
      const [oldZone, timeZone] = [tripZone(before), newZone ?? before.timeZone ?? actor.zone ?? 'UTC']
      const startWall = startText ?? (newZone !== undefined ? wallTimeOf(before.startsAt, oldZone) : undefined)
      const endWall = endText ?? (newZone !== undefined && before.endsAt ? wallTimeOf(before.endsAt, oldZone) : undefined)
      if (startWall !== undefined) {
        changes.startsAt = tripInstantOf(startWall, timeZone, 'startsAt')
        assertWithinTerm(actor.term, dayIn(changes.startsAt, timeZone), 'startsAt')
      }
      if (endWall !== undefined) changes.endsAt = tripInstantOf(endWall, timeZone, 'endsAt')
      if (startWall !== undefined || endWall !== undefined) changes.timeZone = timeZone
      const startsAt = changes.startsAt ?? before.startsAt
      if (tripEnd({ startsAt, endsAt: changes.endsAt ?? before.endsAt }) <= startsAt) throw invalidField(endText ? 'endsAt' : 'startsAt', endText ? 'must be after the start' : 'must be before the end')
      const open = patch.openToCourse ?? before.openToCourse === true
      if (open && asked !== undefined) throw invalidField('invitedUserIds', 'must be left out: the trip is open to every student of the course')
      if (asked !== undefined || patch.openToCourse !== undefined) {
        changes.invitedUserIds = await invitees(actor, asked, open)
        // Students taken off the list lose their answers, and their seats go back.
        await rsvps.removeStudents(before._id, changes.invitedUserIds)
      }
      if (patch.capacity !== undefined) {
        const yes = await rsvps.countYes(before._id)
        if (patch.capacity < yes) throw invalidField('capacity', `must be at least ${yes}: that many students have said yes`)
        if (!(await rsvps.fitInto(before, patch.capacity))) throw invalidField('capacity', 'must be higher: more students said yes meanwhile', 409)
      }
      const after = await trips.update(before, changes)
      if (!after) throw changedMeanwhile()
      await trail(actor, 'update', before, before, after)
      const uninvitedUserIds = before.invitedUserIds.filter((id) => !includes(after.invitedUserIds, id))
      await events.publish({ type: 'TripChanged', courseId: actor.courseId, tripId: after._id, invitedUserIds: after.invitedUserIds, uninvitedUserIds })
      // Seats given back (students no longer invited, a higher capacity) go to the waitlist.
      await promoteWaiting(actor, after)
      return after
    },
    remove: async (actor: Actor, id: Id): Promise<void> => {
      const before = await manage(actor, id)
      const after = await trips.softDelete(before, actor.userId, now())
      if (!after) throw Errors.notFound('Field trip')
      await trail(actor, 'delete', before, before, after)
      await events.publish({ type: 'TripCancelled', courseId: actor.courseId, tripId: before._id, invitedUserIds: before.invitedUserIds })
    },
    trail
  }
}

export type FieldTripService = ReturnType<typeof createFieldTripService>
