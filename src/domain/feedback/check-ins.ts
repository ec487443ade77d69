import { z } from 'zod'
import { Errors } from '../../errors'
import type { Access, Actor } from '../activities/access'
import { PointKeyText } from '../competencies/assessment-fields'
import { assessmentPoints, pointState, type AssessmentPoint } from '../competencies/assessment-points'
import type { EventBus } from '../events/event-bus'
import { IdText } from '../activities/record-fields'
import { sameId, type Id } from '../ids'
import { today } from '../term/calendar-day'
import type { CheckInStore, FeedbackSide, RelationshipCheckIn } from './ports'
import { LOW_RATING } from './feedback-service'

export const RELATIONSHIP = ['Not working', 'Working poorly', 'Working', 'Working well', 'Working very well'] as const

const range = 'must be a whole number from 1 to 5'
export const CheckInInput = z.strictObject({
  studentUserId: IdText.optional(),
  point: PointKeyText,
  rating: z.number({ error: range }).int(range).min(1, range).max(5, range),
  comment: z.string().trim().max(1000, 'must be at most 1000 characters').default('')
})
export type CheckInInput = z.output<typeof CheckInInput>

export interface CheckInDue { point: AssessmentPoint, studentUserId: Id }

export interface CheckInServiceDeps {
  store: CheckInStore
  access: Pick<Access, 'studentsOf' | 'subjectOf'>
  events: Pick<EventBus, 'publish'>
  now?: () => Date
}

const sideOf = (actor: Actor): FeedbackSide => {
  if (actor.role === 'student') return 'student'
  if (actor.role === 'mentor') return 'mentor'
  throw Errors.forbidden('Students and mentors check in on their pairing; instructors read the answers')
}

/**
 * A short relationship check-in at each of the term's points (start, mid-term, end, from its milestones): both sides
 * say how well the pairing works, once per point. Seen by the giver and the instructors; low answers go to the
 * at-risk list.
 */
export function createCheckInService ({ store, access, events, now = () => new Date() }: CheckInServiceDeps) {
  const openPoints = (actor: Actor): AssessmentPoint[] => actor.term === null ? [] : assessmentPoints(actor.term).filter((p) => pointState(p, today(now())) !== 'upcoming')
  return {
    /** The reader's check-ins still to give (points that opened; a mentor's per mentee) and the ones they gave. */
    mine: async (actor: Actor): Promise<{ due: CheckInDue[], given: RelationshipCheckIn[] }> => {
      const side = sideOf(actor)
      const students = await access.studentsOf(actor)
      if (students === 'all') throw Errors.forbidden()
      const answers = (await store.ofCourse(actor.courseId)).filter((c) => c.side === side && students.some((s) => sameId(s, c.studentUserId)))
      const due = openPoints(actor).flatMap((point) => students.filter((s) => !answers.some((c) => c.point === point.key && sameId(c.studentUserId, s))).map((studentUserId) => ({ point, studentUserId })))
      return { due, given: answers.filter((c) => sameId(c.byUserId, actor.userId)) }
    },
    give: async (actor: Actor, input: CheckInInput): Promise<RelationshipCheckIn> => {
      const side = sideOf(actor)
      const studentUserId = await access.subjectOf(actor, input.studentUserId)
      const point = openPoints(actor).find((p) => p.key === input.point)
      if (point === undefined) throw Errors.conflict('This check-in is not open yet')
      const checkIn: RelationshipCheckIn = { courseId: actor.courseId, studentUserId, point: point.key, side, byUserId: actor.userId, rating: input.rating, comment: input.comment, at: now() }
      if (!await store.insert(checkIn)) throw Errors.conflict('You already checked in at this point; answers are final')
      await events.publish({ type: 'RelationshipCheckedIn', courseId: actor.courseId, studentUserId, point: point.key, side, byUserId: actor.userId, rating: input.rating })
      return checkIn
    },
    /** Check-ins at or below LOW_RATING, newest first: for the at-risk list. */
    low: async (courseId: Id): Promise<RelationshipCheckIn[]> =>
      (await store.ofCourse(courseId)).filter((c) => c.rating <= LOW_RATING).sort((a, b) => b.at.getTime() - a.at.getTime())
  }
}

export type CheckInService = ReturnType<typeof createCheckInService>
