import type { Id } from '../ids'
import type { CourseRole } from '../launch/roles'

/** Which kind of entry in a student's mentoring record an event is about. */
export type StudentRecordKind = 'activity' | 'goal' | 'reflection' | 'contact'

/**
 * What happened in a course, as the services that made it happen tell it. Events carry ids, never documents:
 * a subscriber reads what it needs, so an event published before a later change never shows stale data.
 */
export type DomainEvent =
  // A student's mentoring record
  | { type: 'RecordCreated', courseId: Id, studentUserId: Id, kind: StudentRecordKind, recordId: Id, byUserId: Id }
  | { type: 'RecordChanged', courseId: Id, studentUserId: Id, kind: StudentRecordKind, recordId: Id, byUserId: Id }
  | { type: 'RecordRemoved', courseId: Id, studentUserId: Id, kind: StudentRecordKind, recordId: Id, byUserId: Id }
  | { type: 'ActivityVerified', courseId: Id, studentUserId: Id, recordId: Id, byUserId: Id }
  | { type: 'ActivityReturned', courseId: Id, studentUserId: Id, recordId: Id, byUserId: Id }
  | { type: 'GoalProgressed', courseId: Id, studentUserId: Id, recordId: Id, byUserId: Id }
  // Field trips
  | { type: 'TripPublished', courseId: Id, tripId: Id, invitedUserIds: Id[] }
  | { type: 'TripChanged', courseId: Id, tripId: Id, invitedUserIds: Id[], uninvitedUserIds: Id[] }
  | { type: 'TripCancelled', courseId: Id, tripId: Id, invitedUserIds: Id[] }
  | { type: 'RsvpChanged', courseId: Id, tripId: Id, studentUserId: Id }
  | { type: 'AttendanceMarked', courseId: Id, tripId: Id, studentUserIds: Id[] }
  | { type: 'CheckedIn', courseId: Id, tripId: Id, studentUserId: Id }
  // Mentor pools (a pool may serve several courses; courseId is the one it was changed from)
  | { type: 'MentorDeactivated', courseId: Id, poolId: Id, mentorId: Id }
  // Pairing and enrolment
  /** `placed`: the pairs this publication wrote (students paired before keep their pair), when the publisher knows them. */
  | { type: 'PairingPublished', courseId: Id, runId: Id, studentUserIds: Id[], placed?: Array<{ studentUserId: Id, mentorId: Id }> }
  | { type: 'StudentPlaced', courseId: Id, studentUserId: Id, mentorId: Id }
  | { type: 'PairMoved', courseId: Id, studentUserId: Id, fromMentorId: Id, toMentorId: Id }
  | { type: 'PairReleased', courseId: Id, studentUserId: Id, reason: string }
  | { type: 'StudentsDropped', courseId: Id, studentUserIds: Id[] }
  | { type: 'RosterSynced', courseId: Id }
  /** A launch made someone a member of the course: new, back after leaving, or in another role. */
  | { type: 'MemberJoined', courseId: Id, userId: Id, role: CourseRole }
  // Completion
  | { type: 'RulesChanged', courseId: Id, byUserId: Id }

export type DomainEventType = DomainEvent['type']
export type EventOf<T extends DomainEventType> = Extract<DomainEvent, { type: T }>

/** The port a domain service publishes through; it resolves once every subscriber has handled the event. */
export interface EventPublisher { publish: (event: DomainEvent) => Promise<void> }

/**
 * Events after which a student's completion may differ: every change to their record, to the field trips they
 * were invited to, and to their enrolment. Completion and the progress read model subscribe to these.
 */
export const PROGRESS_EVENTS = [
  'RecordCreated', 'RecordChanged', 'RecordRemoved', 'ActivityVerified', 'ActivityReturned', 'GoalProgressed',
  'TripChanged', 'TripCancelled', 'AttendanceMarked', 'CheckedIn',
  'PairingPublished', 'StudentPlaced', 'PairMoved', 'PairReleased', 'StudentsDropped', 'RosterSynced', 'MemberJoined',
  'RulesChanged'
] as const satisfies readonly DomainEventType[]
