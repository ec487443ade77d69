import type { Types, UpdateQuery } from 'mongoose'
import { AppError, Errors } from '../../errors'
import type { AuditRepository } from '../../persistence/repositories/audit.repository'
import type { StudentRecord, StudentRecordRepository } from '../../persistence/repositories/student-record.repository'
import type { CourseRole } from '../launch/roles'
import type { Access, Actor } from './access'

type Id = Types.ObjectId

export const changedMeanwhile = (): AppError => Errors.conflict('This entry was changed meanwhile; reload it and try again')

/** How one kind of student record differs from the others: who may read and write it, and how input is stored. */
export interface RecordSpec<T extends StudentRecord, C, P> {
  /** The audit trail's name for it, e.g. 'activity'. */
  entity: string
  label: string
  repo: StudentRecordRepository<T>
  readers: readonly CourseRole[]
  writers: readonly CourseRole[]
  /** The stored fields of a new entry, from validated input (without `studentUserId`); refuses by throwing. */
  toNew: (actor: Actor, input: Omit<C, 'studentUserId'>, studentUserId: Id) => Promise<Record<string, unknown>> | Record<string, unknown>
  /** The update for an edit of `existing`; refuses by throwing (e.g. a student editing a verified activity). */
  toUpdate: (actor: Actor, existing: T, patch: P) => Promise<UpdateQuery<unknown>> | UpdateQuery<unknown>
  /** Refuses an edit or deletion the role may not make to this entry. */
  assertMayChange?: (actor: Actor, existing: T) => void
}

export interface RecordServiceDeps { access: Access, audit: AuditRepository }

/**
 * Listing, reading, creating, editing and soft-deleting one kind of student record, each write checked against the
 * actor's access and audited with the entry before and after.
 */
export function createRecordService<T extends StudentRecord, C extends { studentUserId?: string }, P> (
  spec: RecordSpec<T, C, P>, { access, audit }: RecordServiceDeps
) {
  const allow = (actor: Actor, roles: readonly CourseRole[]) => { if (!roles.includes(actor.role)) throw Errors.forbidden(`${actor.role}s cannot do this with ${spec.label.toLowerCase()} entries`) }
  const trail = async (actor: Actor, action: string, entityId: Id, before: T | null, after: T | null) =>
    await audit.record({ courseId: actor.courseId, entity: spec.entity, entityId, action, actor: { userId: actor.userId, role: actor.role }, before, after })

  const get = async (actor: Actor, id: string): Promise<T> => {
    allow(actor, spec.readers)
    const found = await spec.repo.find(actor.courseId, id)
    if (!found || !(await access.canSee(actor, found.studentUserId))) throw Errors.notFound(spec.label)
    return found
  }

  /** Applies one change to a visible entry, only if nobody changed it since it was read, and audits it. */
  const change = async (actor: Actor, id: string, action: string, build: (existing: T) => Promise<UpdateQuery<unknown>> | UpdateQuery<unknown>): Promise<T> => {
    allow(actor, spec.writers)
    const before = await get(actor, id)
    const after = await spec.repo.update(before, await build(before))
    if (!after) throw changedMeanwhile()
    await trail(actor, action, before._id, before, after)
    return after
  }

  return {
    spec,
    get,
    change,
    list: async (actor: Actor, studentUserId?: string, filter: Record<string, unknown> = {}): Promise<T[]> => {
      allow(actor, spec.readers)
      return await spec.repo.list(actor.courseId, await access.narrow(actor, studentUserId), filter)
    },
    create: async (actor: Actor, input: C): Promise<T> => {
      allow(actor, spec.writers)
      const { studentUserId, ...rest } = input
      const subject = await access.subjectOf(actor, studentUserId)
      const fields = await spec.toNew(actor, rest, subject)
      const created = await spec.repo.create({ ...fields, courseId: actor.courseId, studentUserId: subject, createdBy: actor.userId, createdByRole: actor.role })
      await trail(actor, 'create', created._id, null, created)
      return created
    },
    update: async (actor: Actor, id: string, patch: P): Promise<T> => await change(actor, id, 'update', async (existing) => {
      spec.assertMayChange?.(actor, existing)
      return await spec.toUpdate(actor, existing, patch)
    }),
    remove: async (actor: Actor, id: string): Promise<void> => {
      allow(actor, spec.writers)
      const before = await get(actor, id)
      spec.assertMayChange?.(actor, before)
      const after = await spec.repo.softDelete(before, actor.userId, new Date())
      if (!after) throw Errors.notFound(spec.label)
      await trail(actor, 'delete', before._id, before, after)
    }
  }
}

export type RecordService<T extends StudentRecord, C extends { studentUserId?: string }, P> = ReturnType<typeof createRecordService<T, C, P>>
