import { Errors } from '../../errors'
import type { Access, Actor } from '../activities/access'
import { fieldsError, invalidField, type FieldError } from '../activities/field-error'
import type { EventBus } from '../events/event-bus'
import { sameId, type Id } from '../ids'
import { today as todayOf, type Day } from '../term/calendar-day'
import type { Term } from '../term/term'
import type { AssessmentInput } from './assessment-fields'
import { assessmentPoints, pointState, type AssessmentPoint, type PointState } from './assessment-points'
import type { Framework, FrameworkService } from './framework-service'
import type { Assessment, AssessmentStore, Rating } from './ports'
import type { PointKey, Side } from './vocabulary'

/**
 * One side of a point as the reader may see it. `sealed`: the other side submitted, but the reader sees it only
 * once their own is in, so neither anchors the other.
 */
export interface SideView { submitted: boolean, sealed: boolean, assessment: Assessment | null }
export interface PointView { point: AssessmentPoint, state: PointState, self: SideView, mentor: SideView }

/** An assessment the instructor follows up: not in by its due day (missing), or in after it (late). */
export interface FollowUp { studentUserId: Id, point: PointKey, side: Side, state: 'missing' | 'late', due: Day, submittedAt: Date | null }

export interface AssessmentServiceDeps {
  store: AssessmentStore
  frameworks: Pick<FrameworkService, 'current' | 'lock'>
  access: Pick<Access, 'subjectOf' | 'canSee'>
  /** Whether the user is a student of the course (active or dropped): an instructor reads only their own course's students. */
  isStudentOf: (courseId: Id, userId: Id) => Promise<boolean>
  events: Pick<EventBus, 'publish'>
  now?: () => Date
}

const sideOf = (actor: Actor): Side => {
  if (actor.role === 'student') return 'self'
  if (actor.role === 'mentor') return 'mentor'
  throw Errors.forbidden('Students rate themselves and mentors rate their mentees; instructors read the ratings')
}

/** Problems of ratings against a framework: every competency rated exactly once, nothing else. */
function ratingProblems (framework: Framework, ratings: readonly Rating[]): FieldError[] {
  const problems: FieldError[] = []
  const known = new Set(framework.competencies.map((c) => c.key))
  ratings.forEach((r, i) => {
    if (!known.has(r.competency)) problems.push({ field: `ratings.${i}.competency`, message: `"${r.competency}" is not a competency of this course` })
    else if (ratings.findIndex((other) => other.competency === r.competency) < i) problems.push({ field: `ratings.${i}.competency`, message: `"${r.competency}" is rated twice` })
  })
  for (const c of framework.competencies) {
    if (!ratings.some((r) => r.competency === c.key)) problems.push({ field: `ratings.${c.key}`, message: `${c.name}: choose a level from 1 to 5` })
  }
  return problems
}

const changedWhileRating = () => Errors.conflict('The competencies changed while you were rating: reload the form and rate again')

/** Who sees what of one side, by the reader's role. */
function sideView (reader: Actor['role'], side: Side, mine: Assessment | undefined, theirs: Assessment | undefined): SideView {
  if (mine === undefined) return { submitted: false, sealed: false, assessment: null }
  const own = (reader === 'student' && side === 'self') || (reader === 'mentor' && side === 'mentor')
  const visible = reader === 'instructor' || own || theirs !== undefined
  return { submitted: true, sealed: !visible, assessment: visible ? mine : null }
}

/**
 * Assessments at the term's three points. A student rates themselves, their mentor rates them; each is final once
 * submitted (nothing to edit after the other side has seen it). The first submission of a course locks its
 * competency framework.
 */
export function createAssessmentService ({ store, frameworks, access, isStudentOf, events, now = () => new Date() }: AssessmentServiceDeps) {
  const pointsOf = (term: Term | null): AssessmentPoint[] => term === null ? [] : assessmentPoints(term)

  return {
    pointsOf,
    submit: async (actor: Actor, input: AssessmentInput): Promise<Assessment> => {
      const side = sideOf(actor)
      const studentUserId = await access.subjectOf(actor, input.studentUserId)
      const point = pointsOf(actor.term).find((p) => p.key === input.point)
      if (point === undefined) throw invalidField('point', 'cannot be accepted before the instructor sets the term dates', 409)
      const at = now()
      if (todayOf(at) < point.opens) throw invalidField('point', `opens on ${point.opens}`, 409)
      const already = (await store.ofStudent(actor.courseId, studentUserId)).some((a) => a.point === point.key && a.side === side)
      if (already) throw Errors.conflict(`This assessment (${point.label}) was already submitted; submitted assessments are final`)
      const before = await frameworks.current(actor.courseId)
      if (input.frameworkRevision !== undefined && input.frameworkRevision !== before.revision && !(before.locked && input.frameworkRevision === before.revision - 1)) throw changedWhileRating()
      const problems = ratingProblems(before, input.ratings)
      if (problems.length > 0) throw fieldsError(problems)
      const framework = await frameworks.lock(actor.courseId, before)
      if (framework === null) throw changedWhileRating()
      const order = new Map(framework.competencies.map((c, i) => [c.key, i]))
      const assessment: Assessment = {
        courseId: actor.courseId, studentUserId, point: point.key, side, byUserId: actor.userId,
        ratings: [...input.ratings].sort((a, b) => (order.get(a.competency) ?? 0) - (order.get(b.competency) ?? 0)).map(({ competency, level, comment }) => ({ competency, level, comment })),
        frameworkRevision: framework.revision, submittedAt: at, late: todayOf(at) > point.due
      }
      if (!await store.insert(assessment)) throw Errors.conflict(`This assessment (${point.label}) was already submitted; submitted assessments are final`)
      await events.publish({ type: 'AssessmentSubmitted', courseId: actor.courseId, studentUserId, point: point.key, side, byUserId: actor.userId })
      return assessment
    },
    /** A student's points and what the reader may see of each side (404 for a student the reader may not see). */
    view: async (actor: Actor, studentUserId: Id): Promise<PointView[]> => {
      if (!await access.canSee(actor, studentUserId) || !await isStudentOf(actor.courseId, studentUserId)) throw Errors.notFound('Student')
      const all = await store.ofStudent(actor.courseId, studentUserId)
      const today = todayOf(now())
      return pointsOf(actor.term).map((point) => {
        const self = all.find((a) => a.point === point.key && a.side === 'self')
        const mentor = all.find((a) => a.point === point.key && a.side === 'mentor')
        return { point, state: pointState(point, today), self: sideView(actor.role, 'self', self, mentor), mentor: sideView(actor.role, 'mentor', mentor, self) }
      })
    },
    /**
     * The open points (opened, due or overdue) at which `side` has not yet rated the student, from assessments already
     * read (the home pages read their students' once, for this and for completion).
     */
    toRate: (term: Term | null, assessments: readonly Assessment[], studentUserId: Id, side: Side, today: Day = todayOf(now())): Array<{ point: AssessmentPoint, state: PointState }> =>
      pointsOf(term).map((point) => ({ point, state: pointState(point, today) }))
        .filter(({ point, state }) => state !== 'upcoming' && !assessments.some((a) => a.point === point.key && a.side === side && sameId(a.studentUserId, studentUserId))),
    /** Every assessment of the course, for its instructors (statistics and the CSV export). */
    ofCourse: async (actor: Actor): Promise<Assessment[]> => {
      if (actor.role !== 'instructor') throw Errors.forbidden()
      return await store.ofCourse(actor.courseId)
    },
    /**
     * What the instructor follows up, from the course's assessments: for every point past its due day, each active
     * student's missing self-assessment and (for a paired student) missing mentor's assessment; and every late one.
     */
    followUps: (term: Term | null, assessments: readonly Assessment[], students: ReadonlyArray<{ userId: Id, paired: boolean }>, today: Day = todayOf(now())): FollowUp[] => {
      const out: FollowUp[] = []
      for (const point of pointsOf(term)) {
        for (const student of students) {
          for (const side of ['self', 'mentor'] as const) {
            const found = assessments.find((a) => a.point === point.key && a.side === side && sameId(a.studentUserId, student.userId))
            if (found?.late === true) out.push({ studentUserId: student.userId, point: point.key, side, state: 'late', due: point.due, submittedAt: found.submittedAt })
            else if (found === undefined && today > point.due && (side === 'self' || student.paired)) out.push({ studentUserId: student.userId, point: point.key, side, state: 'missing', due: point.due, submittedAt: null })
          }
        }
      }
      return out
    }
  }
}

export type AssessmentService = ReturnType<typeof createAssessmentService>
