import { Errors } from '../../errors'
import type { Actor } from '../activities/access'
import type { ActivityService } from '../activities/activity-records'
import { invalidField } from '../activities/field-error'
import type { AuditTrail } from '../activities/ports'
import type { EventPublisher } from '../events/domain-events'
import { sameId, type Id } from '../ids'
import { addDays, dayOf, type Day } from '../term/calendar-day'
import { placeTimeText } from '../time/zones'
import { assertWithinTerm, type Term } from '../term/term'
import { firstClash, openTimes, type OpenTime, type Slot } from './availability'
import type { BookingCreate, BookingMove, BookingCancel, SlotCreate } from './booking-fields'
import type { Booking, BookingRepository, SlotRepository } from './ports'

/** How far ahead students see free times (never past the term's end). */
export const BOOKABLE_WEEKS = 6

export interface BookingServiceDeps {
  slots: SlotRepository
  bookings: BookingRepository
  activities: Pick<ActivityService, 'plan' | 'replan' | 'unplan' | 'assertPlanned'>
  audit: AuditTrail
  events: EventPublisher
  /** The signed-in user who mentors a student in the course now; null while they have none (or their mentor never signed in). */
  mentorUserOf: (courseId: Id, studentUserId: Id) => Promise<Id | null>
  /** Runs `work` alone among all processes for `key` (a lease), so one mentor's slots are published one at a time. */
  exclusive: <T>(key: string, work: () => Promise<T>) => Promise<T>
  now?: () => Date
}

const taken = () => Errors.conflict('That time was just taken: please choose another free time.')

/**
 * 1:1 session booking. A mentor publishes slots (weekly or one-off, in their time zone); their mentees see the free
 * times of the coming weeks and book one, which becomes a planned session in the student's record. Either may move
 * it to another free time or cancel it with a note, and the other is told. No time is ever held twice: a booking is
 * a unique insert of the mentor's start instant (and of the student's), and a mentor's slots never overlap.
 */
export function createBookingService ({ slots, bookings, activities, audit, events, mentorUserOf, exclusive, now = () => new Date() }: BookingServiceDeps) {
  const trail = async (actor: Actor, action: string, entityId: Id, before: unknown, after: unknown) =>
    await audit.record({ courseId: actor.courseId, entity: 'session-booking', entityId, action, actor: { userId: actor.userId, role: actor.role }, before, after })
  const role = (actor: Actor, ...roles: Array<Actor['role']>) => { if (!roles.includes(actor.role)) throw Errors.forbidden(`${actor.role}s cannot do this with session bookings`) }
  const termOf = (actor: Actor): Term => {
    if (actor.term === null) throw Errors.conflict('Sessions can be booked once the instructor sets the term dates')
    return actor.term
  }
  /** The mentor's days from yesterday (a zone ahead of UTC is a day ahead) until `last`, inside the term. */
  const daysAhead = (term: Term, last: Day): { from: Day, until: Day } => {
    const from = addDays(dayOf(now()), -1)
    return { from: from > term.start ? from : term.start, until: last < term.end ? last : term.end }
  }
  // Weeks counted from the term's first day while it has not begun: before it starts, its first weeks are the next ones.
  const bookableDays = (term: Term) => {
    const today = dayOf(now())
    return daysAhead(term, addDays(today > term.start ? today : term.start, BOOKABLE_WEEKS * 7))
  }

  /** The times a mentor offers in the coming weeks, and which of them are taken. */
  const offered = async (actor: Actor, mentorUserId: Id): Promise<{ times: OpenTime[], taken: Booking[] }> => {
    const { from, until } = bookableDays(termOf(actor))
    const [mine, held] = await Promise.all([slots.ofMentor(actor.courseId, mentorUserId), bookings.takenOf(mentorUserId, now())])
    return { times: openTimes(mine, from, until, now()), taken: held }
  }
  const free = ({ times, taken }: { times: OpenTime[], taken: Booking[] }): OpenTime[] =>
    times.filter((t) => !taken.some((b) => b.startsAt.getTime() === t.startsAt.getTime()))
  const offeredAt = (times: readonly OpenTime[], startsAt: Date): OpenTime => {
    const time = times.find((t) => t.startsAt.getTime() === startsAt.getTime())
    if (time === undefined) throw invalidField('startsAt', 'is not one of the free times: choose one from the list', 409)
    return time
  }
  const myMentor = async (actor: Actor): Promise<Id> => {
    const mentor = await mentorUserOf(actor.courseId, actor.userId)
    if (mentor === null) throw Errors.conflict('You have no mentor yet who offers times: sessions can be booked once your mentor publishes them')
    return mentor
  }

  /** A booking the actor may see: the student's own, the mentor's own, any of the course for an instructor. */
  const get = async (actor: Actor, id: Id): Promise<Booking> => {
    const found = await bookings.find(actor.courseId, id)
    const mine = found !== null && (actor.role === 'instructor' ||
      (actor.role === 'student' && sameId(found.studentUserId, actor.userId)) ||
      (actor.role === 'mentor' && sameId(found.mentorUserId, actor.userId)))
    if (!found || !mine) throw Errors.notFound('Booking')
    return found
  }
  /** A live booking still to come, which the student or the mentor of it may move or cancel. */
  const changeable = async (actor: Actor, id: Id): Promise<Booking> => {
    role(actor, 'student', 'mentor')
    const booking = await get(actor, id)
    if (booking.status !== 'booked') throw Errors.conflict(`This session was ${booking.status} already`)
    if (booking.startsAt <= now()) throw Errors.conflict('This session has started: it can no longer be moved or cancelled')
    if (booking.activityId !== null) await activities.assertPlanned(actor, booking.activityId)
    return booking
  }
  const announce = async (type: 'SessionBooked' | 'SessionCancelled', actor: Actor, b: Booking): Promise<void> => {
    await events.publish({ type, courseId: actor.courseId, bookingId: b._id, studentUserId: b.studentUserId, mentorUserId: b.mentorUserId, byUserId: actor.userId })
  }

  return {
    get,

    /** A mentor's slots and live bookings in the course. */
    availability: async (actor: Actor): Promise<{ slots: Slot[], bookings: Booking[] }> => {
      role(actor, 'mentor')
      const [mine, booked] = await Promise.all([slots.ofMentor(actor.courseId, actor.userId), bookings.live(actor.courseId, { mentorUserId: actor.userId })])
      return { slots: mine, bookings: booked }
    },

    /**
     * Publishes a slot unless one of its times overlaps a time the mentor already offers or a session booked with
     * them: one mentor's slots are published one at a time, so two overlapping slots can never both be stored.
     */
    publish: async (actor: Actor, input: SlotCreate, defaultZone: string): Promise<Slot> => {
      role(actor, 'mentor')
      const term = termOf(actor)
      const [from, until] = input.kind === 'weekly' ? [input.from, input.until] : [input.date, input.date]
      if (input.kind === 'weekly') {
        assertWithinTerm(term, input.from, 'from')
        assertWithinTerm(term, input.until, 'until')
      } else assertWithinTerm(term, input.date, 'date')
      const slot = {
        courseId: actor.courseId, mentorUserId: actor.userId, kind: input.kind, weekday: input.kind === 'weekly' ? input.weekday : null,
        from, until, startTime: input.startTime, minutes: input.minutes, timeZone: input.timeZone ?? defaultZone, place: input.place, videoLink: input.videoLink
      }
      // Checked over the rest of the term: weeks not yet bookable become so later.
      const days = daysAhead(term, term.end)
      const times = openTimes([{ ...slot, _id: 'new', createdAt: now() }], days.from, days.until, now())
      if (times.length === 0) throw invalidField(input.kind === 'weekly' ? 'until' : 'date', 'gives no time still to come: choose days from today on', 400)
      const created = await exclusive(`availability:${actor.userId}`, async () => {
        const [mine, held] = await Promise.all([slots.ofMentor(actor.courseId, actor.userId), bookings.takenOf(actor.userId, now())])
        const clash = firstClash(times, [...openTimes(mine, days.from, days.until, now()), ...held])
        if (clash !== null) {
          const what = 'status' in clash.with ? 'a session booked with you' : 'a time you already offer'
          throw invalidField('startTime', `overlaps ${what} (${placeTimeText(clash.with.startsAt, slot.timeZone)}) on ${placeTimeText(clash.time.startsAt, slot.timeZone)}: a mentor's times must not overlap`, 409)
        }
        return await slots.create(slot)
      })
      await trail(actor, 'publish-slot', created._id, null, created)
      return created
    },

    /** Takes a slot out of what students can book; sessions already booked in it stay. */
    removeSlot: async (actor: Actor, id: Id): Promise<void> => {
      role(actor, 'mentor')
      const slot = await slots.find(actor.courseId, id)
      if (!slot || !sameId(slot.mentorUserId, actor.userId)) throw Errors.notFound('Slot')
      await slots.remove(slot, now())
      await trail(actor, 'remove-slot', slot._id, slot, null)
    },

    /** The free times of a student's mentor in the coming weeks (none while they have no mentor); a mentor's own. */
    freeTimes: async (actor: Actor): Promise<{ mentorUserId: Id | null, times: OpenTime[] }> => {
      role(actor, 'student', 'mentor')
      const mentorUserId = actor.role === 'mentor' ? actor.userId : await mentorUserOf(actor.courseId, actor.userId)
      return { mentorUserId, times: mentorUserId === null ? [] : free(await offered(actor, mentorUserId)) }
    },

    /** Live bookings: a student's own, a mentor's, or (instructors, to read) the course's. */
    list: async (actor: Actor): Promise<Booking[]> => {
      if (actor.role === 'instructor') return await bookings.live(actor.courseId, {})
      if (actor.role === 'mentor') return await bookings.live(actor.courseId, { mentorUserId: actor.userId })
      return await bookings.live(actor.courseId, { studentUserIds: [actor.userId] })
    },

    /** A student books one of their mentor's free times; 409 when someone took it first. */
    book: async (actor: Actor, { startsAt }: BookingCreate): Promise<Booking> => {
      role(actor, 'student')
      const mentorUserId = await myMentor(actor)
      const time = offeredAt((await offered(actor, mentorUserId)).times, startsAt)
      const claimed = await bookings.claim({
        courseId: actor.courseId, mentorUserId, studentUserId: actor.userId, startsAt: time.startsAt, minutes: time.minutes, timeZone: time.timeZone,
        slotId: time.slotId, place: time.place, videoLink: time.videoLink, activityId: null, sequence: 0, note: '', changedBy: actor.userId
      })
      if (claimed === 'taken') throw taken()
      if (claimed === 'student-busy') throw Errors.conflict('You already have a session booked at that time')
      let booking = claimed
      try {
        const planned = await activities.plan(actor, actor.userId, booking.startsAt, booking.minutes)
        await bookings.linkRecord(booking._id, planned._id)
        booking = { ...booking, activityId: planned._id }
      } catch (err) {
        await bookings.release(booking, 'cancelled', actor.userId, 'not recorded')
        throw err
      }
      await trail(actor, 'book', booking._id, null, booking)
      await announce('SessionBooked', actor, booking)
      return booking
    },

    /** Moves a session to another free time of the same mentor: the new time is claimed first, then the old one freed. */
    reschedule: async (actor: Actor, id: Id, { startsAt, note }: BookingMove): Promise<Booking> => {
      const before = await changeable(actor, id)
      if (before.startsAt.getTime() === startsAt.getTime()) throw invalidField('startsAt', 'is the session\'s time already: choose another')
      const time = offeredAt((await offered(actor, before.mentorUserId)).times, startsAt)
      const claimed = await bookings.claim({
        courseId: actor.courseId, mentorUserId: before.mentorUserId, studentUserId: before.studentUserId, startsAt: time.startsAt, minutes: time.minutes,
        timeZone: time.timeZone, slotId: time.slotId, place: time.place, videoLink: time.videoLink, activityId: before.activityId,
        seriesId: before.seriesId, sequence: before.sequence + 1, note, changedBy: actor.userId
      })
      if (claimed === 'taken') throw taken()
      if (claimed === 'student-busy') throw Errors.conflict('The student already has a session booked at that time')
      if (await bookings.release(before, 'moved', actor.userId, note) === null) {
        await bookings.release(claimed, 'cancelled', actor.userId, 'changed meanwhile')
        throw Errors.conflict('This session was changed meanwhile; reload the page and try again')
      }
      if (before.activityId !== null) await activities.replan(actor, before.activityId, claimed.startsAt)
      await trail(actor, 'reschedule', claimed._id, before, claimed)
      await events.publish({
        type: 'SessionRescheduled', courseId: actor.courseId, bookingId: claimed._id, previousBookingId: before._id,
        studentUserId: claimed.studentUserId, mentorUserId: claimed.mentorUserId, byUserId: actor.userId
      })
      return claimed
    },

    /** Cancels a session with a note to the other person; its planned entry leaves the student's record. */
    cancel: async (actor: Actor, id: Id, { note }: BookingCancel): Promise<Booking> => {
      const before = await changeable(actor, id)
      const after = await bookings.release(before, 'cancelled', actor.userId, note)
      if (after === null) throw Errors.conflict('This session was changed meanwhile; reload the page and try again')
      if (before.activityId !== null) await activities.unplan(actor, before.activityId)
      await trail(actor, 'cancel', before._id, before, after)
      await announce('SessionCancelled', actor, after)
      return after
    }
  }
}

export type BookingService = ReturnType<typeof createBookingService>
