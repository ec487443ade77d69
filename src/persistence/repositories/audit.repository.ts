import type { Types } from 'mongoose'
import type { CourseRole } from '../../domain/launch/roles'
import type { Models } from '../database'
import type { AuditEntryDoc } from '../models/audit-entry.model'

type Id = Types.ObjectId
export interface AuditActor { userId: Id, role: CourseRole }
export interface AuditChange {
  courseId: Id
  entity: string
  entityId: Id
  action: string
  actor: AuditActor
  before: unknown
  after: unknown
}
export type AuditEntry = AuditEntryDoc & { _id: Id }

/** Drops what only mongoose needs, so the trail shows the entry as it was. */
const snapshot = (value: unknown): unknown => {
  if (value === null || value === undefined || typeof value !== 'object') return value ?? null
  const { __v, ...rest } = value as Record<string, unknown>
  return rest
}

/** The append-only trail of changes to the mentoring record. */
export function createAuditRepository ({ auditEntries }: Pick<Models, 'auditEntries'>) {
  return {
    record: async (change: AuditChange, at = new Date()): Promise<void> => {
      const { actor, before, after, ...what } = change
      await auditEntries.create({ ...what, actorUserId: actor.userId, actorRole: actor.role, at, before: snapshot(before), after: snapshot(after) })
    },
    list: async (courseId: Id, filter: { entity?: string, entityId?: Id } = {}, limit = 200): Promise<AuditEntry[]> => {
      const query = Object.fromEntries(Object.entries({ courseId, ...filter }).filter(([, v]) => v !== undefined))
      return await auditEntries.find(query).sort({ at: -1, _id: -1 }).limit(limit).lean<AuditEntry[]>()
    }
  }
}

export type AuditRepository = ReturnType<typeof createAuditRepository>
