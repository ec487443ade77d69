import type { DomainEvent } from '../events/domain-events'
import type { EventBus } from '../events/event-bus'
import type { Id } from '../ids'
import type { PairingChangeKind } from './vocabulary'

/** One entry of a course's pairing history: what changed, who did it (null: Mentorlink on its own), when and why. */
export interface PairingChange {
  kind: PairingChangeKind
  byUserId: Id | null
  at: Date
  reason: string
  studentId?: Id
  fromMentorId?: Id
  toMentorId?: Id
  /** How many students a change to many pairs concerned (a publication, a reminder). */
  count?: number
  runId?: Id
}

export interface PairingHistoryStore {
  record: (courseId: Id, changes: readonly PairingChange[]) => Promise<void>
  /** Newest first; `before` pages back from an entry's time. */
  list: (courseId: Id, options: { limit: number, before?: Date, studentId?: Id }) => Promise<PairingChange[]>
}

const PAIRING_EVENT_TYPES = [
  'PairingRun', 'PairingPublished', 'PairingUnpublished', 'StudentPlaced', 'StudentsPlaced', 'PairMoved', 'PairReleased',
  'RematchRequested', 'RematchDecided', 'IntakeReminderRequested'
] as const

type PairingEvent = Extract<DomainEvent, { type: typeof PAIRING_EVENT_TYPES[number] }>

/** The history entries an event stands for: one per student for a placement of many. */
function changesOf (event: PairingEvent, at: Date): PairingChange[] {
  if (event.type !== 'StudentsPlaced') return [changeOf(event, at)]
  const why = event.reason ?? 'Joined the course after publication'
  return event.placed.map((p) => ({ kind: 'place', byUserId: event.byUserId ?? null, at, reason: why, studentId: p.studentUserId, toMentorId: p.mentorId }))
}

/** The history entry an event about one change stands for. */
function changeOf (event: Exclude<PairingEvent, { type: 'StudentsPlaced' }>, at: Date): PairingChange {
  switch (event.type) {
    case 'PairingRun':
      return { kind: event.repair === true ? 'repair-preview' : 'run', byUserId: event.byUserId, at, reason: event.reason, runId: event.runId }
    case 'PairingPublished':
      return event.republished === true
        ? { kind: 'republish', byUserId: event.byUserId ?? null, at, reason: event.reason ?? '', count: event.studentUserIds.length, runId: event.runId }
        : { kind: 'publish', byUserId: event.byUserId ?? null, at, reason: '', count: event.placed?.length ?? event.studentUserIds.length, runId: event.runId }
    case 'PairingUnpublished':
      return { kind: 'unpublish', byUserId: event.byUserId, at, reason: event.reason, count: event.studentUserIds.length }
    case 'StudentPlaced':
      return { kind: 'place', byUserId: event.byUserId ?? null, at, reason: event.reason ?? 'Joined the course after publication', studentId: event.studentUserId, toMentorId: event.mentorId }
    case 'PairMoved':
      return {
        kind: event.swappedWith !== undefined ? 'swap' : 'move', byUserId: event.byUserId ?? null, at, reason: event.reason ?? '',
        studentId: event.studentUserId, fromMentorId: event.fromMentorId, toMentorId: event.toMentorId
      }
    case 'PairReleased':
      return { kind: 'release', byUserId: event.byUserId ?? null, at, reason: event.reason, studentId: event.studentUserId }
    case 'RematchRequested':
      return { kind: 'request', byUserId: event.byUserId, at, reason: event.byRole === 'mentor' ? 'Asked by the mentor' : 'Asked by the student', studentId: event.studentUserId }
    case 'RematchDecided':
      return { kind: event.decision === 'accepted' ? 'request-accepted' : 'request-declined', byUserId: event.byUserId, at, reason: event.note, studentId: event.studentUserId }
    case 'IntakeReminderRequested':
      return { kind: 'reminder', byUserId: event.byUserId, at, reason: 'Asked to fill in their intake', count: event.studentUserIds.length }
  }
}

/**
 * The pairing history is written from the domain events: every service that changes a pairing already announces it,
 * so no change can reach students without reaching the history too.
 */
export function subscribePairingHistory (bus: Pick<EventBus, 'subscribe'>, store: Pick<PairingHistoryStore, 'record'>, now: () => Date = () => new Date()): () => void {
  return bus.subscribe(PAIRING_EVENT_TYPES, async (event) => { await store.record(event.courseId, changesOf(event, now())) })
}
