import { AppError, Errors } from '../../errors'
import type { EventPublisher, StudentRecordKind } from '../events/domain-events'
import type { Id } from '../ids'
import type { CourseRole } from '../launch/roles'
import type { Access, Actor } from './access'
import type { AuditTrail, RecordFields, RecordFilter, RecordPatch, StudentRecord, StudentRecordRepository } from './ports'

export const changedMeanwhile = (): AppError => Errors.conflict('This entry was changed meanwhile; reload it and try again')

/** How one kind of student record differs from the others: who may read and write it, and how input is stored. */
export interface RecordSpec<T extends StudentRecord, C, P> {
  /** The audit trail's and the events' name for it, e.g. 'activity'. */
  entity: StudentRecordKind
  label: string
  repo: StudentRecordRepository<T>
  readers: readonly CourseRole[]
  writers: readonly CourseRole[]
  /** The stored fields of a new entry, from validated input (without `studentUserId`); refuses by throwing. */
  toNew: (actor: Actor, input: Omit<C, 'studentUserId'>, studentUserId: Id) => Promise<RecordFields<T>> | RecordFields<T>
  /** The fields an edit of `existing` sets; refuses by throwing (e.g. a student editing a verified activity). */
  toUpdate: (actor: Actor, existing: T, patch: P) => Promise<RecordPatch<T>> | RecordPatch<T>
  /** Refuses an edit or deletion the role may not make to this entry. */
  assertMayChange?: (actor: Actor, existing: T) => void
  /** Refuses a deletion through the record that must go another way (a booked session is cancelled, not deleted). */
  assertMayRemove?: (existing: T) => void
}

export interface RecordServiceDeps { access: Access, audit: AuditTrail, events: EventPublisher }

/** What a change to an entry is announced as: an edit, or one of the named steps some kinds have. */
export type ChangeEvent = 'RecordChanged' | 'ActivityVerified' | 'ActivityReturned' | 'GoalProgressed'

/**
 * Listing, reading, creating, editing and soft-deleting one kind of student record, each write checked against the
 * actor's access, audited with the entry before and after, and published as a domain event.
 */
export function createRecordService<T extends StudentRecord, C extends { studentUserId?: string }, P> (
  spec: RecordSpec<T, C, P>, { access, audit, events }: RecordServiceDeps
) {
  const allow = (actor: Actor, roles: readonly CourseRole[]) => { if (!roles.includes(actor.role)) throw Errors.forbidden(`${actor.role}s cannot do this with ${spec.label.toLowerCase()} entries`) }
  const trail = async (actor: Actor, action: string, entityId: Id, before: T | null, after: T | null) =>
    await audit.record({ courseId: actor.courseId, entity: spec.entity, entityId, action, actor: { userId: actor.userId, role: actor.role }, before, after })
  const about = (actor: Actor, entry: T) => ({ courseId: actor.courseId, studentUserId: entry.studentUserId, recordId: entry._id, byUserId: actor.userId })
  const announce = async (type: ChangeEvent | 'RecordCreated' | 'RecordRemoved', actor: Actor, entry: T): Promise<void> => {
    await events.publish(type === 'RecordCreated' || type === 'RecordChanged' || type === 'RecordRemoved'
      ? { type, kind: spec.entity, ...about(actor, entry) }
      : { type, ...about(actor, entry) })
  }

  const get = async (actor: Actor, id: Id): Promise<T> => {
    allow(actor, spec.readers)
    const found = await spec.repo.find(actor.courseId, id)
    if (!found || !(await access.canSee(actor, found.studentUserId))) throw Errors.notFound(spec.label)
    return found
  }

  /**
   * Applies one change to a visible entry through `write`, which must refuse (null) if anybody changed the entry
   * since it was read; then audits and announces it.
   */
  const change = async (actor: Actor, id: Id, action: string, event: ChangeEvent, write: (existing: T) => Promise<T | null>): Promise<T> => {
    allow(actor, spec.writers)
    const before = await get(actor, id)
    const after = await write(before)
    if (!after) throw changedMeanwhile()
    await trail(actor, action, before._id, before, after)
    await announce(event, actor, after)
    return after
  }

  /** Stores a new entry of `studentUserId` with fields the caller checked, then audits and announces it. */
  const insert = async (actor: Actor, studentUserId: Id, fields: RecordFields<T>): Promise<T> => {
    const created = await spec.repo.create({ ...fields, courseId: actor.courseId, studentUserId, createdBy: actor.userId, createdByRole: actor.role })
    await trail(actor, 'create', created._id, null, created)
    await announce('RecordCreated', actor, created)
    return created
  }

  /** Soft-deletes a visible entry after `check` (which refuses by throwing), audited under `action`. */
  const discard = async (actor: Actor, id: Id, action: string, check: (existing: T) => void): Promise<void> => {
    allow(actor, spec.writers)
    const before = await get(actor, id)
    check(before)
    const after = await spec.repo.softDelete(before, actor.userId, new Date())
    if (!after) throw Errors.notFound(spec.label)
    await trail(actor, action, before._id, before, after)
    await announce('RecordRemoved', actor, after)
  }

  return {
    spec,
    get,
    change,
    insert,
    discard,
    list: async (actor: Actor, studentUserId?: Id, filter: RecordFilter = {}): Promise<T[]> => {
      allow(actor, spec.readers)
      return await spec.repo.list(actor.courseId, await access.narrow(actor, studentUserId), filter)
    },
    create: async (actor: Actor, input: C): Promise<T> => {
      allow(actor, spec.writers)
      const { studentUserId, ...rest } = input
      const subject = await access.subjectOf(actor, studentUserId)
      return await insert(actor, subject, await spec.toNew(actor, rest, subject))
    },
    update: async (actor: Actor, id: Id, patch: P): Promise<T> => await change(actor, id, 'update', 'RecordChanged', async (existing) => {
      spec.assertMayChange?.(actor, existing)
      return await spec.repo.update(existing, await spec.toUpdate(actor, existing, patch))
    }),
    remove: async (actor: Actor, id: Id): Promise<void> => {
      await discard(actor, id, 'delete', (existing) => { spec.assertMayChange?.(actor, existing); spec.assertMayRemove?.(existing) })
    }
  }
}

export type RecordService<T extends StudentRecord, C extends { studentUserId?: string }, P> = ReturnType<typeof createRecordService<T, C, P>>
