import type { Types } from 'mongoose'
import type { AuditChange, AuditTrail } from '../../domain/activities/ports'
import type { Id } from '../../domain/ids'
import type { Models } from '../database'
import type { AuditEntryDoc } from '../models/audit-entry.model'
import { toId, toObjectId } from '../ids'

export type AuditEntry = Omit<AuditEntryDoc, 'courseId' | 'entityId' | 'actorUserId'> & { _id: Id, courseId: Id, entityId: Id, actorUserId: Id }

/** Drops what only mongoose needs, so the trail shows the entry as it was. */
const snapshot = (value: unknown): unknown => {
  if (value === null || value === undefined || typeof value !== 'object') return value ?? null
  const { __v, ...rest } = value as Record<string, unknown>
  return rest
}

type StoredEntry = AuditEntryDoc & { _id: Types.ObjectId }
const entryOf = (e: StoredEntry): AuditEntry =>
  ({ ...e, _id: toId(e._id), courseId: toId(e.courseId), entityId: toId(e.entityId), actorUserId: toId(e.actorUserId) })

/** The append-only trail of changes to the mentoring record. */
export function createAuditRepository ({ auditEntries }: Pick<Models, 'auditEntries'>): AuditTrail & {
  list: (courseId: Id, filter?: { entity?: string, entityId?: Id }, limit?: number) => Promise<AuditEntry[]>
} {
  return {
    record: async (change: AuditChange, at = new Date()): Promise<void> => {
      const { actor, before, after, courseId, entityId, ...what } = change
      await auditEntries.create({
        ...what, courseId: toObjectId(courseId), entityId: toObjectId(entityId), actorUserId: toObjectId(actor.userId), actorRole: actor.role, at, before: snapshot(before), after: snapshot(after)
      })
    },
    list: async (courseId: Id, filter: { entity?: string, entityId?: Id } = {}, limit = 200): Promise<AuditEntry[]> => {
      const { entity, entityId } = filter
      const query = Object.fromEntries(Object.entries({ courseId: toObjectId(courseId), entity, entityId: entityId === undefined ? undefined : toObjectId(entityId) }).filter(([, v]) => v !== undefined))
      return (await auditEntries.find(query).sort({ at: -1, _id: -1 }).limit(limit).lean<StoredEntry[]>()).map(entryOf)
    }
  }
}

export type AuditRepository = ReturnType<typeof createAuditRepository>
