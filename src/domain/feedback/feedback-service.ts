import { z } from 'zod'
import { Errors } from '../../errors'
import type { Access, Actor } from '../activities/access'
import type { Activity, StudentRecordRepository } from '../activities/ports'
import type { EventBus } from '../events/event-bus'
import { sameId, type Id } from '../ids'
import { MIN_COHORT } from '../competencies/vocabulary'
import type { FeedbackSide, FeedbackStore, SessionFeedback } from './ports'

export const USEFULNESS = ['Not useful', 'Slightly useful', 'Useful', 'Very useful', 'Extremely useful'] as const
/** A rating at or below this puts the pair on the instructor's at-risk list. */
export const LOW_RATING = 2

const range = 'must be a whole number from 1 to 5'
export const FeedbackInput = z.strictObject({
  rating: z.number({ error: range }).int(range).min(1, range).max(5, range),
  comment: z.string().trim().max(1000, 'must be at most 1000 characters').default('')
})
export type FeedbackInput = z.output<typeof FeedbackInput>

export interface FeedbackServiceDeps {
  store: FeedbackStore
  activities: Pick<StudentRecordRepository<Activity>, 'list' | 'find'>
  access: Pick<Access, 'studentsOf' | 'canSee'>
  events: Pick<EventBus, 'publish'>
  now?: () => Date
}

/** Per side, the mean usefulness over every answer, when at least MIN_COHORT students' sessions were rated. */
export interface FeedbackSummary { side: FeedbackSide, responses: number, students: number, mean: number | null }

const sideOf = (actor: Actor): FeedbackSide => {
  if (actor.role === 'student') return 'student'
  if (actor.role === 'mentor') return 'mentor'
  throw Errors.forbidden('Students and mentors answer about their sessions; instructors read the answers')
}

/**
 * "How useful was this session?" after each verified 1:1 session, asked of both sides. Each answer is final and
 * seen by the one who gave it and the course's instructors; low answers go to the instructor's at-risk list.
 */
export function createFeedbackService ({ store, activities, access, events, now = () => new Date() }: FeedbackServiceDeps) {
  return {
    /** The reader's verified sessions still without their answer, newest first, and the answers they gave. */
    mine: async (actor: Actor): Promise<{ waiting: Activity[], given: SessionFeedback[] }> => {
      const side = sideOf(actor)
      const students = await access.studentsOf(actor)
      if (students !== 'all' && students.length === 0) return { waiting: [], given: [] }
      const [sessions, answers] = await Promise.all([activities.list(actor.courseId, students, { kind: 'session', status: 'verified' }), store.ofCourse(actor.courseId)])
      const answered = new Set(answers.filter((f) => f.side === side).map((f) => f.activityId))
      return {
        waiting: sessions.filter((s) => !answered.has(String(s._id))).sort((a, b) => b.date.getTime() - a.date.getTime()),
        given: answers.filter((f) => f.side === side && sameId(f.byUserId, actor.userId)).sort((a, b) => b.at.getTime() - a.at.getTime())
      }
    },
    give: async (actor: Actor, activityId: Id, input: FeedbackInput): Promise<SessionFeedback> => {
      const side = sideOf(actor)
      const session = await activities.find(actor.courseId, activityId)
      if (session === null || !(await access.canSee(actor, session.studentUserId))) throw Errors.notFound('Session')
      if (session.kind !== 'session' || session.status !== 'verified') throw Errors.conflict('Feedback is asked for verified 1:1 sessions only')
      const feedback: SessionFeedback = {
        courseId: actor.courseId, activityId: String(session._id), studentUserId: session.studentUserId, side, byUserId: actor.userId,
        rating: input.rating, comment: input.comment, sessionDate: session.date, at: now()
      }
      if (!await store.insert(feedback)) throw Errors.conflict('You already said how useful this session was; answers are final')
      await events.publish({ type: 'SessionFeedbackGiven', courseId: actor.courseId, activityId: feedback.activityId, studentUserId: session.studentUserId, side, byUserId: actor.userId, rating: input.rating })
      return feedback
    },
    /** Answers at or below LOW_RATING, newest first: for the instructor's at-risk list. */
    low: async (courseId: Id): Promise<SessionFeedback[]> =>
      (await store.ofCourse(courseId)).filter((f) => f.rating <= LOW_RATING).sort((a, b) => b.at.getTime() - a.at.getTime()),
    /** The course's answers per side; the mean is withheld while fewer than MIN_COHORT students' sessions were rated. */
    summary: async (courseId: Id): Promise<FeedbackSummary[]> => {
      const all = await store.ofCourse(courseId)
      return (['student', 'mentor'] as const).map((side) => {
        const mine = all.filter((f) => f.side === side)
        const students = new Set(mine.map((f) => f.studentUserId)).size
        return { side, responses: mine.length, students, mean: students < MIN_COHORT ? null : mine.reduce((s, f) => s + f.rating, 0) / mine.length }
      })
    }
  }
}

export type FeedbackService = ReturnType<typeof createFeedbackService>
