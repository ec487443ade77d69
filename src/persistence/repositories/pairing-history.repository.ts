import { Types } from 'mongoose'
import type { PairingChange, PairingHistoryStore } from '../../domain/pairing-workflow/pairing-history'
import type { Models } from '../database'
import { retryWhenBusy } from '../busy'
import { duplicatesRefused } from '../duplicate-key'

const oid = (id: string): Types.ObjectId => new Types.ObjectId(id)
const optional = (id: Types.ObjectId | null | undefined): string | undefined => (id ? String(id) : undefined)

/** The course's pairing history: entries are only ever inserted. */
export function createPairingHistoryRepository (m: Pick<Models, 'pairingChanges'>): PairingHistoryStore {
  return {
    record: async (courseId: string, changes: readonly PairingChange[]): Promise<void> => {
      if (changes.length === 0) return
      // Ids chosen here: a retry after "database is locked" cannot insert an entry twice (the second insert is refused).
      const docs = changes.map(({ studentId, fromMentorId, toMentorId, runId, byUserId, ...rest }) => ({
        _id: new Types.ObjectId(),
        ...rest,
        courseId: oid(courseId),
        byUserId: byUserId ? oid(byUserId) : undefined,
        studentUserId: studentId ? oid(studentId) : undefined,
        fromMentorId: fromMentorId ? oid(fromMentorId) : undefined,
        toMentorId: toMentorId ? oid(toMentorId) : undefined,
        runId: runId ? oid(runId) : undefined
      }))
      await retryWhenBusy(async () => {
        try {
          await m.pairingChanges.insertMany(docs, { ordered: false })
        } catch (err) {
          if (duplicatesRefused(err) === null) throw err
        }
      })
    },
    list: async (courseId, { limit, before, studentId }) => {
      const rows = await m.pairingChanges.find({
        courseId: oid(courseId), ...(before ? { at: { $lt: before } } : {}), ...(studentId ? { studentUserId: oid(studentId) } : {})
      }).sort({ at: -1, _id: -1 }).limit(limit).lean()
      return rows.map((r) => ({
        kind: r.kind, byUserId: r.byUserId ? String(r.byUserId) : null, at: r.at, reason: r.reason ?? '',
        studentId: optional(r.studentUserId), fromMentorId: optional(r.fromMentorId), toMentorId: optional(r.toMentorId),
        count: r.count ?? undefined, runId: optional(r.runId)
      }))
    }
  }
}
