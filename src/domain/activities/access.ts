import { Errors } from '../../errors'
import { sameId, type Id } from '../ids'
import type { CourseRole } from '../launch/roles'
import type { Term } from '../term/term'
import type { TimeZone } from '../time/zones'
import { fieldsError } from './field-error'
import type { Pairings, Students } from './ports'

/** Who is asking, in which course and role, and the course's term (for date checks). */
/** `zone`: the course's zone (else the actor's own), where a trip entered without a zone of its own happens. */
export interface Actor { courseId: Id, userId: Id, role: CourseRole, term: Term | null, zone?: TimeZone }

/**
 * Whose mentoring record an actor may see: students their own, mentors their current mentees (as the published
 * pairing says), instructors every student of their course. Nothing here crosses courses: every query is bound
 * to the actor's course as well.
 */
export function createAccess (pairings: Pairings) {
  const studentsOf = async (actor: Actor): Promise<Students> => {
    if (actor.role === 'instructor') return 'all'
    if (actor.role === 'student') return [actor.userId]
    return await pairings.menteeUserIdsOf(actor.courseId, actor.userId)
  }
  const canSee = async (actor: Actor, studentUserId: Id): Promise<boolean> => {
    if (actor.role === 'instructor') return true
    if (actor.role === 'student') return sameId(actor.userId, studentUserId)
    return await pairings.isMentorOf(actor.courseId, actor.userId, studentUserId)
  }
  return {
    studentsOf,
    canSee,
    /** The students a list may show: all visible ones, or the one asked for if visible (404 otherwise). */
    narrow: async (actor: Actor, studentUserId?: Id): Promise<Students> => {
      if (studentUserId === undefined) return await studentsOf(actor)
      if (!(await canSee(actor, studentUserId))) throw Errors.notFound('Student')
      return [studentUserId]
    },
    /**
     * Whose record a new entry joins: a student writes their own; a mentor names one of their mentees. The
     * refusal names the field, and nothing is stored.
     */
    subjectOf: async (actor: Actor, studentUserId?: Id): Promise<Id> => {
      if (actor.role === 'student') {
        if (studentUserId !== undefined && !sameId(studentUserId, actor.userId)) throw fieldsError([{ field: 'studentUserId', message: 'must be left out or be your own id' }], 403, 'FORBIDDEN')
        return actor.userId
      }
      if (studentUserId === undefined) throw fieldsError([{ field: 'studentUserId', message: 'is required: name the student' }])
      if (!(await canSee(actor, studentUserId))) throw fieldsError([{ field: 'studentUserId', message: 'is not one of your mentees' }], 403, 'FORBIDDEN')
      return studentUserId
    }
  }
}

export type Access = ReturnType<typeof createAccess>
