import type { DomainEvent } from '../events/domain-events'
import { completionNotices } from './completion-notices'
import { dailyLook, type DailyLookDeps } from './daily-look'
import type { EmailKind } from './email-kinds'
import type { Notice } from './notice'
import { pairChangesOf, pairingEmails } from './pairing-notices'
import type { NoticeJob } from './ports'
import { intakeNotices } from './intake-notices'
import { returnedEmails } from './returned-notices'
import { sessionNotices } from './session-notices'
import { nextDailyLook, TRIP_REMINDER_BEFORE_MS, type ScheduledNotice } from './scheduled-notices'
import { tripEmails, tripReminders, tripSeatNotices } from './trip-notices'
import { verificationNotices } from './verification-notices'

export const NOTICE_EVENTS = [
  'PairingPublished', 'StudentsPlaced', 'StudentPlaced', 'PairMoved', 'ActivityReturned', 'TripPublished', 'TripChanged', 'TripCancelled',
  'WaitlistPromoted', 'RecordCreated', 'RecordChanged', 'IntakeReminderRequested', 'CompletionReached', 'SessionBooked', 'SessionRescheduled', 'SessionCancelled'
] as const

export type NoticeEvent = Extract<DomainEvent, { type: typeof NOTICE_EVENTS[number] }>
/** What the notifier works on: an event to tell people about, or a notice due now (summaries are the notifier's own). */
export type NoticeWork = NoticeEvent | Exclude<ScheduledNotice, { type: 'DigestDue' }>

/** Notices of one kind. */
export interface NoticeGroup { kind: EmailKind, notices: Notice[] }
/** What a piece of work sends now, and what it schedules for later. */
export interface WorkOutcome { groups: NoticeGroup[], later: Array<{ notice: ScheduledNotice, dueAt: Date }> }

const only = (kind: EmailKind, notices: Notice[]): WorkOutcome => ({ groups: [{ kind, notices }], later: [] })

export interface WorkNoticeDeps extends DailyLookDeps {
  /** Publishes a domain event that a job due later stands for (a trip's start). */
  announce?: (event: DomainEvent) => Promise<void>
}

/** What each piece of work tells whom. */
export function createWorkNotices (deps: WorkNoticeDeps) {
  const { directory, now, digestHourUtc } = deps
  return async (work: NoticeWork, job: NoticeJob): Promise<WorkOutcome> => {
    switch (work.type) {
      case 'ActivityReturned': {
        const entry = await directory.returnedEntry(work.courseId, work.recordId, work.byUserId)
        return only('returned', await returnedEmails(work.courseId, work.studentUserId, entry, directory))
      }
      case 'RecordCreated': case 'RecordChanged':
        return only('verification', await verificationNotices(work, directory))
      case 'CompletionReached': {
        // A score changes again after completion (a late entry, new rules): each student is told once.
        const first = []
        for (const id of work.studentUserIds) if (await deps.once(`completed.${work.courseId}.${id}`)) first.push(id)
        return only('completion', await completionNotices(work.courseId, first, directory))
      }
      case 'IntakeReminderRequested':
        return only('intake', await intakeNotices(work.courseId, work.studentUserIds, directory))
      case 'TripPublished': case 'TripChanged': case 'TripCancelled': {
        const trip = await directory.trip(work.courseId, work.tripId)
        const live = trip === null || trip.cancelled ? null : trip
        const remindAt = live === null ? null : new Date(live.startsAt.getTime() - TRIP_REMINDER_BEFORE_MS)
        const which = { courseId: work.courseId, tripId: work.tripId, startsAt: live?.startsAt.toISOString() ?? '' }
        return {
          groups: [{ kind: 'trip', notices: await tripEmails(work, trip, directory) }],
          later: [
            // A trip less than a day away was just announced: no reminder on top.
            ...(live !== null && remindAt !== null && remindAt > now() ? [{ notice: { type: 'TripReminderDue' as const, ...which }, dueAt: remindAt }] : []),
            // Its attendance counts from its start: progress and completion look again then.
            ...(live !== null && live.startsAt > now() ? [{ notice: { type: 'TripStartDue' as const, ...which }, dueAt: live.startsAt }] : [])
          ]
        }
      }
      case 'TripStartDue': {
        const trip = await directory.trip(work.courseId, work.tripId)
        if (trip !== null && !trip.cancelled && trip.startsAt.toISOString() === work.startsAt) {
          await deps.announce?.({ type: 'TripStarted', courseId: work.courseId, tripId: work.tripId })
        }
        return { groups: [], later: [] }
      }
      case 'WaitlistPromoted':
        return only('trip', await tripSeatNotices(work.courseId, work.tripId, work.studentUserId, await directory.trip(work.courseId, work.tripId), directory))
      case 'TripReminderDue': {
        const [trip, going] = await Promise.all([directory.trip(work.courseId, work.tripId), directory.tripGoing(work.courseId, work.tripId)])
        return only('trip', await tripReminders(work.courseId, work.tripId, work.startsAt, trip, going, directory))
      }
      case 'SessionBooked': case 'SessionRescheduled': case 'SessionCancelled': {
        const [session, previous] = await Promise.all([
          directory.session(work.courseId, work.bookingId),
          work.type === 'SessionRescheduled' ? directory.session(work.courseId, work.previousBookingId) : null
        ])
        return only('session', await sessionNotices(work, session, previous?.when ?? null, directory))
      }
      case 'DailyLook':
        return await dailyLook(work.courseId, job.dueAt, deps)
      default:
        // A course with pairs has a look every morning from now on.
        return {
          groups: [{ kind: 'pairing', notices: await pairingEmails(work.courseId, await pairChangesOf(work, directory), directory) }],
          later: [nextDailyLook(work.courseId, now(), digestHourUtc)]
        }
    }
  }
}
