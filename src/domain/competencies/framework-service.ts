import { Errors } from '../../errors'
import type { Actor } from '../activities/access'
import { fieldsError, invalidField } from '../activities/field-error'
import type { EventBus } from '../events/event-bus'
import type { Id } from '../ids'
import { nameClash, withKeys, type CompetencyInput, type FrameworkInput } from './framework-fields'
import type { FrameworkRevision, FrameworkStore, InstructorCourses } from './ports'
import { COMPETENCY_LIMITS, DEFAULT_COMPETENCIES, type Competency } from './vocabulary'

/** A course's framework as people use it: the latest revision, or the defaults (revision 0). */
export interface Framework {
  revision: number
  competencies: Competency[]
  /** True from the first assessment on: nothing can be changed after that. */
  locked: boolean
  lockedAt: Date | null
  copiedFrom: Id | null
}

export interface FrameworkServiceDeps { store: FrameworkStore, courses: InstructorCourses, events: Pick<EventBus, 'publish'>, now?: () => Date }

const DEFAULT: Framework = { revision: 0, competencies: DEFAULT_COMPETENCIES.map((c) => ({ ...c, levels: [...c.levels] })), locked: false, lockedAt: null, copiedFrom: null }

const frameworkOf = (stored: FrameworkRevision | null): Framework => stored === null
  ? { ...DEFAULT, competencies: DEFAULT.competencies.map((c) => ({ ...c, levels: [...c.levels] })) }
  : { revision: stored.revision, competencies: stored.competencies, locked: stored.locked, lockedAt: stored.locked ? stored.at : null, copiedFrom: stored.copiedFrom ?? null }

const lockedError = () => Errors.conflict('The competencies cannot be changed any more: the first assessment has been submitted')
const changedError = () => Errors.conflict('Someone changed the competencies since you opened them: reload and make your change again')

/**
 * The competency framework of a course. Every change writes the next revision with a unique insert, so of two
 * changes made from the same revision exactly one is kept (the other is told to reload). The first assessment locks
 * the framework the same way: it writes the next revision, marked locked, and a change racing it loses the insert
 * (or finds the lock), on FerretDB as on MongoDB.
 */
export function createFrameworkService ({ store, courses, events, now = () => new Date() }: FrameworkServiceDeps) {
  const current = async (courseId: Id): Promise<Framework> => frameworkOf(await store.latest(courseId))

  const write = async (actor: Actor, base: number, competencies: Competency[], copiedFrom: Id | null = null): Promise<Framework> => {
    if (actor.role !== 'instructor') throw Errors.forbidden('Only instructors change the competencies')
    const latest = await current(actor.courseId)
    if (latest.locked) throw lockedError()
    if (latest.revision !== base) throw changedError()
    const written = await store.insert({ courseId: actor.courseId, revision: base + 1, competencies, locked: false, byUserId: actor.userId, at: now(), copiedFrom })
    if (!written) throw (await current(actor.courseId)).locked ? lockedError() : changedError()
    await events.publish({ type: 'CompetenciesChanged', courseId: actor.courseId, byUserId: actor.userId, revision: base + 1 })
    return await current(actor.courseId)
  }

  const withOne = async (actor: Actor, base: number, change: (list: Competency[]) => Competency[]): Promise<Framework> => {
    const latest = await current(actor.courseId)
    if (latest.locked) throw lockedError()
    if (latest.revision !== base) throw changedError()
    return await write(actor, base, change(latest.competencies))
  }

  const checkName = (list: readonly Competency[], name: string, exceptKey?: string): void => {
    if (nameClash(list, name, exceptKey)) throw invalidField('name', `"${name}" is already a competency of this course`, 409)
  }

  return {
    current,
    /** Replaces the whole list (the JSON API). */
    replace: async (actor: Actor, input: FrameworkInput): Promise<Framework> => await write(actor, input.revision, withKeys(input.competencies)),
    add: async (actor: Actor, base: number, input: CompetencyInput): Promise<Framework> => await withOne(actor, base, (list) => {
      if (list.length >= COMPETENCY_LIMITS.competencies) throw Errors.conflict(`A course has at most ${COMPETENCY_LIMITS.competencies} competencies: remove one first`)
      checkName(list, input.name)
      return withKeys([...list, { ...input, key: undefined }])
    }),
    update: async (actor: Actor, base: number, key: string, input: CompetencyInput): Promise<Framework> => await withOne(actor, base, (list) => {
      if (!list.some((c) => c.key === key)) throw Errors.notFound('Competency')
      checkName(list, input.name, key)
      return list.map((c) => c.key === key ? { key, name: input.name, description: input.description, levels: [...input.levels] } : c)
    }),
    remove: async (actor: Actor, base: number, key: string): Promise<Framework> => await withOne(actor, base, (list) => {
      if (!list.some((c) => c.key === key)) throw Errors.notFound('Competency')
      if (list.length === 1) throw Errors.conflict('A course needs at least one competency: add another before removing this one')
      return list.filter((c) => c.key !== key)
    }),
    /** The courses whose framework the instructor may copy: their other courses on the same LMS. */
    copySources: async (actor: Actor) => await courses.otherCoursesOf(actor.courseId, actor.userId),
    /** Replaces this course's competencies with a copy of another course's (one the instructor teaches on the same LMS). */
    copyFrom: async (actor: Actor, base: number, sourceCourseId: Id): Promise<Framework> => {
      const sources = await courses.otherCoursesOf(actor.courseId, actor.userId)
      if (!sources.some((c) => c.courseId === sourceCourseId)) throw fieldsError([{ field: 'sourceCourseId', message: 'is not another course you teach on this LMS' }], 404, 'NOT_FOUND')
      const source = await current(sourceCourseId)
      return await write(actor, base, source.competencies.map((c) => ({ ...c, levels: [...c.levels] })), sourceCourseId)
    },
    /**
     * Locks the framework an assessment was rated against, for good. The lock takes the revision after the rated one,
     * the number a change made from the same revision would take: of the two inserts exactly one succeeds. Answers
     * the locked framework, or null when a change came first (the ratings then belong to competencies that are gone).
     */
    lock: async (courseId: Id, rated: Framework): Promise<Framework | null> => {
      if (rated.locked) return rated
      await store.insert({ courseId, revision: rated.revision + 1, competencies: rated.competencies, locked: true, byUserId: null, at: now(), copiedFrom: rated.copiedFrom })
      const latest = await current(courseId)
      return latest.locked && latest.revision === rated.revision + 1 ? latest : null
    }
  }
}

export type FrameworkService = ReturnType<typeof createFrameworkService>
