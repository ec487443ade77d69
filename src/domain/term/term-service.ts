import { Errors } from '../../errors'
import type { Actor } from '../activities/access'
import { fieldsError, type FieldError } from '../activities/field-error'
import type { StoredTerm, TermServiceDeps } from './ports'
import { isDay } from './calendar-day'
import { courseZoneOf, isWithinTerm, lmsTermDates, outsideTermText, termOf, type Term, type TermSources } from './term'
import type { TermInput } from './term-fields'

/** The milestones dated outside the term, each named by its row ("Milestone 3: the date must fall between …"). */
export function milestonesOutside (term: Term, milestones: ReadonlyArray<{ date: string }>): FieldError[] {
  return milestones.flatMap((m, i) => isDay(m.date) && !isWithinTerm(term, m.date)
    ? [{ field: `milestones.${i}.date`, message: `Milestone ${i + 1}: the date ${outsideTermText(term)}` }]
    : [])
}

/** Sets the term on the Term page or the API. Dates the LMS supplies cannot be overridden here. */
export function createTermService ({ terms, audit }: TermServiceDeps) {
  return {
    /** `course` is the actor's course as stored, whose LMS dates win. */
    save: async (actor: Actor, course: TermSources, input: TermInput): Promise<Term> => {
      if (actor.role !== 'instructor') throw Errors.forbidden('Only instructors set the term')
      const lms = lmsTermDates(course.custom)
      const problems: FieldError[] = []
      for (const key of ['start', 'end'] as const) {
        const given = input[key]
        if (lms[key] !== undefined && given !== undefined && given !== lms[key]) problems.push({ field: key, message: `is set by your LMS (${lms[key]}) and cannot be changed here` })
        if (lms[key] === undefined && given === undefined) problems.push({ field: key, message: 'is required' })
      }
      const timeZone = input.timeZone ?? courseZoneOf(course)
      const stored: StoredTerm = { start: lms.start ? undefined : input.start, end: lms.end ? undefined : input.end, ...(timeZone !== undefined ? { timeZone } : {}), milestones: input.milestones }
      const term = termOf({ custom: course.custom, term: stored })
      if (problems.length === 0 && !term) problems.push({ field: 'end', message: `must not be before the start date (${lms.start ?? input.start ?? ''})` })
      if (term) problems.push(...milestonesOutside(term, input.milestones))
      if (problems.length > 0 || !term) throw fieldsError(problems)
      await terms.save(actor.courseId, stored)
      await audit.record({ courseId: actor.courseId, entity: 'term', entityId: actor.courseId, action: 'update', actor: { userId: actor.userId, role: actor.role }, before: termOf(course), after: term })
      return term
    }
  }
}

export type TermService = ReturnType<typeof createTermService>
