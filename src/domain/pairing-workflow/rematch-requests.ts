import { DomainError } from '../domain-error'
import type { EventPublisher } from '../events/domain-events'
import type { PairingMaintenanceStore } from './pairing-ports'
import type { PublishedPairing } from './published-pairing'

export type RematchRole = 'student' | 'mentor'

export interface RematchRequest {
  id: string
  studentId: string
  mentorId: string
  byUserId: string
  byRole: RematchRole
  reason: string
  status: 'open' | 'accepted' | 'declined'
  note: string
  createdAt: Date
  decidedAt: Date | null
  toMentorId: string | null
}

export interface RematchStore {
  /** Opens a request; null when the student has an open one already (one at a time, whoever asked). */
  open: (courseId: string, request: Pick<RematchRequest, 'studentId' | 'mentorId' | 'byUserId' | 'byRole' | 'reason'>, at: Date) => Promise<string | null>
  byId: (courseId: string, requestId: string) => Promise<RematchRequest | null>
  /** The course's requests waiting for a decision, oldest first. */
  openOf: (courseId: string) => Promise<RematchRequest[]>
  /** The requests someone made, newest first. */
  madeBy: (courseId: string, userId: string) => Promise<RematchRequest[]>
  decide: (courseId: string, requestId: string, decision: { status: 'accepted' | 'declined', decidedBy: string, note: string, toMentorId?: string }, at: Date) => Promise<void>
}

export interface Asker { userId: string, role: RematchRole }

/**
 * Students and mentors ask the instructor for a different pairing, with a reason only the instructor (and the
 * person who asked) sees. The instructor accepts (the student is moved) or declines with a note to the asker.
 */
export function createRematchRequests (store: RematchStore, pairs: Pick<PairingMaintenanceStore, 'activeList' | 'withCourseLease'>, pairing: Pick<PublishedPairing, 'move'>, events: EventPublisher, isMentorOf: (courseId: string, mentorUserId: string, studentId: string) => Promise<boolean>) {
  const stillOpen = async (courseId: string, requestId: string): Promise<RematchRequest> => {
    const request = await store.byId(courseId, requestId)
    if (!request) throw new DomainError('NOT_FOUND', 'Request not found')
    if (request.status !== 'open') throw new DomainError('CONFLICT', `This request was ${request.status} already.`)
    return request
  }
  return {
    ask: async (courseId: string, asker: Asker, studentId: string, reason: string): Promise<string> => {
      if (asker.role === 'student' && asker.userId !== studentId) throw new DomainError('FORBIDDEN', 'You can ask only about your own mentor.')
      if (asker.role === 'mentor' && !await isMentorOf(courseId, asker.userId, studentId)) throw new DomainError('FORBIDDEN', 'You can ask only about your own mentees.')
      const current = (await pairs.activeList(courseId)).find((p) => p.studentId === studentId)
      if (!current) throw new DomainError('CONFLICT', 'There is no published pairing to change yet.')
      const id = await store.open(courseId, { studentId, mentorId: current.mentorId, byUserId: asker.userId, byRole: asker.role, reason }, new Date())
      if (id === null) throw new DomainError('CONFLICT', 'A request for this student is already waiting for the instructor. You will see the answer here.')
      await events.publish({ type: 'RematchRequested', courseId, requestId: id, studentUserId: studentId, byUserId: asker.userId, byRole: asker.role })
      return id
    },
    openOf: store.openOf,
    madeBy: store.madeBy,
    /** Moves the student to `toMentorId` and closes the request, under the course's lease: one decision wins. */
    accept: async (courseId: string, byUserId: string, requestId: string, toMentorId: string, note: string): Promise<void> => {
      let request: RematchRequest | null = null
      await pairing.move(courseId, byUserId, (await stillOpen(courseId, requestId)).studentId, toMentorId, `Request accepted${note ? `: ${note}` : ''}`, {
        guard: async () => { request = await stillOpen(courseId, requestId) },
        after: async () => { await store.decide(courseId, requestId, { status: 'accepted', decidedBy: byUserId, note, toMentorId }, new Date()) }
      })
      const decided = request as RematchRequest | null
      if (decided) await events.publish({ type: 'RematchDecided', courseId, requestId, studentUserId: decided.studentId, byUserId, decision: 'accepted', note })
    },
    decline: async (courseId: string, byUserId: string, requestId: string, note: string): Promise<void> => {
      const request = await pairs.withCourseLease(courseId, async () => {
        const open = await stillOpen(courseId, requestId)
        await store.decide(courseId, requestId, { status: 'declined', decidedBy: byUserId, note }, new Date())
        return open
      })
      await events.publish({ type: 'RematchDecided', courseId, requestId, studentUserId: request.studentId, byUserId, decision: 'declined', note })
    }
  }
}

export type RematchRequests = ReturnType<typeof createRematchRequests>
