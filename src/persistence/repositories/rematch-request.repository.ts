import { Types } from 'mongoose'
import type { RematchRequest, RematchStore } from '../../domain/pairing-workflow/rematch-requests'
import type { Models } from '../database'
import { isDuplicateKey } from '../duplicate-key'
import { retryWhenBusy } from '../busy'

const oid = (id: string): Types.ObjectId => new Types.ObjectId(id)
/** Held by the open request of a student; a decided request holds its own id instead. */
const openKeyOf = (courseId: string, studentId: string): string => `${courseId}:${studentId}`

type Row = Record<string, unknown> & { _id: Types.ObjectId }

const toRequest = (r: Row): RematchRequest => ({
  id: String(r._id),
  studentId: String(r.studentUserId),
  mentorId: String(r.mentorId),
  byUserId: String(r.byUserId),
  byRole: r.byRole as RematchRequest['byRole'],
  reason: String(r.reason ?? ''),
  status: r.status as RematchRequest['status'],
  note: String(r.note ?? ''),
  createdAt: r.createdAt as Date,
  decidedAt: (r.decidedAt as Date | undefined) ?? null,
  toMentorId: r.toMentorId ? String(r.toMentorId) : null
})

/** Rematch requests; the unique `openKey` keeps one open request per student on MongoDB and FerretDB alike. */
export function createRematchRequestRepository (m: Pick<Models, 'rematchRequests'>): RematchStore {
  return {
    open: async (courseId, request, at) => {
      try {
        const doc = await retryWhenBusy(async () => await m.rematchRequests.create({
          courseId: oid(courseId), studentUserId: oid(request.studentId), mentorId: oid(request.mentorId), byUserId: oid(request.byUserId),
          byRole: request.byRole, reason: request.reason, status: 'open', openKey: openKeyOf(courseId, request.studentId), createdAt: at
        }))
        return String(doc._id)
      } catch (err) {
        if (isDuplicateKey(err)) return null
        throw err
      }
    },
    byId: async (courseId, requestId) => {
      const doc = await m.rematchRequests.findById(requestId).lean()
      return doc && String(doc.courseId) === courseId ? toRequest(doc as unknown as Row) : null
    },
    openOf: async (courseId) => (await m.rematchRequests.find({ courseId: oid(courseId), status: 'open' }).sort({ createdAt: 1 }).lean()).map((r) => toRequest(r as unknown as Row)),
    madeBy: async (courseId, userId) =>
      (await m.rematchRequests.find({ courseId: oid(courseId), byUserId: oid(userId) }).sort({ createdAt: -1 }).limit(20).lean()).map((r) => toRequest(r as unknown as Row)),
    decide: async (_courseId, requestId, decision, at) => {
      await retryWhenBusy(async () => await m.rematchRequests.updateOne({ _id: oid(requestId), status: 'open' }, {
        $set: { status: decision.status, decidedBy: oid(decision.decidedBy), decidedAt: at, note: decision.note, openKey: requestId, ...(decision.toMentorId ? { toMentorId: oid(decision.toMentorId) } : {}) }
      }))
    }
  }
}
