import { Errors } from '../../errors'
import { sameId, type Id } from '../ids'
import { dayOf, dayToDate, today } from '../term/calendar-day'
import { assertWithinTerm } from '../term/term'
import type { Actor } from './access'
import { fieldsError, invalidField } from './field-error'
import type { Activity, RecordPatch, Review, StudentRecordRepository } from './ports'
import type { ActivityCreate, ActivityPatch } from './record-fields'
import { createRecordService, type RecordServiceDeps, type RecordSpec } from './record-service'
import { STUDENT_LOGGED_KINDS } from './vocabulary'

const reviewBy = (actor: Actor, comment = ''): Review => ({ by: actor.userId, at: new Date(), comment })

/**
 * Sessions, coaching and observed meetings. What a mentor records is verified at once; what a student logs waits
 * for their mentor, and a student's edit sends it back to waiting.
 */
function activitySpec (repo: StudentRecordRepository<Activity>): RecordSpec<Activity, ActivityCreate, ActivityPatch> {
  return {
    entity: 'activity',
    label: 'Activity',
    repo,
    readers: ['student', 'mentor', 'instructor'],
    writers: ['student', 'mentor'],
    toNew: (actor, input) => {
      if (actor.role === 'student' && !STUDENT_LOGGED_KINDS.includes(input.kind)) {
        throw fieldsError([{ field: 'kind', message: 'is recorded by your mentor: students log sessions and observed meetings' }], 403, 'FORBIDDEN')
      }
      assertWithinTerm(actor.term, input.date, 'date')
      const byMentor = actor.role === 'mentor'
      return { ...input, date: dayToDate(input.date), status: byMentor ? 'verified' : 'pending', review: byMentor ? reviewBy(actor) : null }
    },
    assertMayRemove: (existing) => {
      if (existing.status === 'planned') throw Errors.conflict('This is a booked session: cancel the booking instead, so the other person is told')
    },
    assertMayChange: (actor, existing) => {
      if (actor.role !== 'student') return
      if (!sameId(existing.createdBy, actor.userId)) throw Errors.forbidden('Entries your mentor recorded can only be changed by your mentor')
      if (existing.status === 'verified') throw Errors.conflict('Verified entries can only be changed by your mentor')
    },
    toUpdate: (actor, existing, patch) => {
      if (patch.kind !== existing.kind) throw invalidField('kind', `cannot change: this entry is a ${existing.kind}`)
      const { kind: _kind, date, ...fields } = patch
      if (existing.status === 'planned' && date !== undefined && date !== dayOf(existing.date)) throw invalidField('date', 'is the booked time\'s: move the booking to change it', 409)
      if (existing.status === 'planned' && actor.role === 'student' && dayOf(existing.date) > today()) {
        throw Errors.conflict(`This session is booked for ${dayOf(existing.date)}: complete it from that day on, once it has taken place`)
      }
      if (date !== undefined) assertWithinTerm(actor.term, date, 'date')
      const set: RecordPatch<Activity> = { ...fields, ...(date !== undefined ? { date: dayToDate(date) } : {}) }
      return actor.role === 'student' ? { ...set, status: 'pending', review: null } : set
    }
  }
}

const stillPlanned = (existing: Activity): void => {
  if (existing.status !== 'planned') throw Errors.conflict('This session is already recorded as held: it can no longer be moved or cancelled')
}

export function createActivityService (repo: StudentRecordRepository<Activity>, deps: RecordServiceDeps) {
  const records = createRecordService(activitySpec(repo), deps)
  return {
    ...records,
    /**
     * A booked 1:1 session joins the student's record as planned: it counts for nothing until the student completes
     * it (an edit, which sends it to their mentor) and the mentor verifies it.
     */
    plan: async (actor: Actor, studentUserId: Id, startsAt: Date, durationMinutes: number): Promise<Activity> => {
      assertWithinTerm(actor.term, dayOf(startsAt), 'startsAt')
      return await records.insert(actor, studentUserId, { kind: 'session', date: dayToDate(dayOf(startsAt)), durationMinutes, topics: [], notes: '', status: 'planned', review: null })
    },
    /** A moved booking moves its planned session. */
    replan: async (actor: Actor, id: Id, startsAt: Date): Promise<Activity> =>
      await records.change(actor, id, 'reschedule', 'RecordChanged', async (existing) => {
        stillPlanned(existing)
        return await repo.update(existing, { date: dayToDate(dayOf(startsAt)) })
      }),
    /** A cancelled booking takes its planned session out of the record. */
    unplan: async (actor: Actor, id: Id): Promise<void> => { await records.discard(actor, id, 'cancel-booking', stillPlanned) },
    /** Refuses (409) when the planned session was completed meanwhile. */
    assertPlanned: async (actor: Actor, id: Id): Promise<void> => { stillPlanned(await records.get(actor, id)) },
    /** Entries waiting for the actor: a mentor's mentees' (instructors see the whole course's, read-only). */
    pending: async (actor: Actor, studentUserId?: Id) => await records.list(actor, studentUserId, { status: 'pending' }),
    /** A mentor approves a student's entry, or returns it with a comment saying why. */
    verify: async (actor: Actor, id: Id, decision: 'approve' | 'reject', comment: string): Promise<Activity> => {
      const approve = decision === 'approve'
      return await records.change(actor, id, approve ? 'verify' : 'reject', approve ? 'ActivityVerified' : 'ActivityReturned', async (existing) => {
        if (actor.role !== 'mentor') throw Errors.forbidden('Only the student\'s mentor verifies entries')
        if (existing.status !== 'pending') throw Errors.conflict(`This entry is not waiting for verification (it is ${existing.status})`)
        return await repo.update(existing, { status: approve ? 'verified' : 'rejected', review: reviewBy(actor, comment) })
      })
    }
  }
}

export type ActivityService = ReturnType<typeof createActivityService>
