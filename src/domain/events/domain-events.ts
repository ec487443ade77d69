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
  /** A trip's start came (announced by a job due then): from now on its attendance counts toward progress. */
  | { type: 'TripStarted', courseId: Id, tripId: Id }
  | { type: 'RsvpChanged', courseId: Id, tripId: Id, studentUserId: Id }
  /** A seat freed on a trip open to the course went to this student from its waitlist. */
  | { type: 'WaitlistPromoted', courseId: Id, tripId: Id, studentUserId: Id }
  | { type: 'AttendanceMarked', courseId: Id, tripId: Id, studentUserIds: Id[] }
  | { type: 'CheckedIn', courseId: Id, tripId: Id, studentUserId: Id }
  // 1:1 session bookings (the planned session in the student's record has its own Record events)
  | { type: 'SessionBooked', courseId: Id, bookingId: Id, studentUserId: Id, mentorUserId: Id, byUserId: Id }
  /** `bookingId`: the booking at the new time; `previousBookingId`: the one it replaced. */
  | { type: 'SessionRescheduled', courseId: Id, bookingId: Id, previousBookingId: Id, studentUserId: Id, mentorUserId: Id, byUserId: Id }
  | { type: 'SessionCancelled', courseId: Id, bookingId: Id, studentUserId: Id, mentorUserId: Id, byUserId: Id }
  // Mentor pools (a pool may serve several courses; courseId is the one it was changed from)
  | { type: 'MentorDeactivated', courseId: Id, poolId: Id, mentorId: Id }
  // Pairing and enrolment
  /** A pairing run was made and stored (for the history; previews are not pairings people see). `repair`: a re-pair preview after publication. */
  | { type: 'PairingRun', courseId: Id, runId: Id, byUserId: Id, reason: string, repair?: boolean }
  /** `placed`: the pairs this publication wrote (students paired before keep their pair), when the publisher knows them. */
  /** `republished`: a re-pair preview was applied (its moves, placements and releases are announced one by one). */
  | { type: 'PairingPublished', courseId: Id, runId: Id, studentUserIds: Id[], placed?: Array<{ studentUserId: Id, mentorId: Id }>, byUserId?: Id, republished?: boolean, reason?: string }
  /** Back to preview: `studentUserIds` had a mentor and have none now. */
  | { type: 'PairingUnpublished', courseId: Id, byUserId: Id, studentUserIds: Id[], reason: string }
  /** `byUserId` and `reason` when a person asked for it; automatic placements (late enrolment) have neither. */
  | { type: 'StudentPlaced', courseId: Id, studentUserId: Id, mentorId: Id, byUserId?: Id, reason?: string }
  /** Many students placed at once (the students without a mentor paired in one pass); `byUserId` when a person asked. */
  | { type: 'StudentsPlaced', courseId: Id, placed: Array<{ studentUserId: Id, mentorId: Id }>, byUserId?: Id, reason?: string }
  /** `swappedWith`: the other student of a swap, who is announced by a move of their own. */
  | { type: 'PairMoved', courseId: Id, studentUserId: Id, fromMentorId: Id, toMentorId: Id, byUserId?: Id, reason?: string, swappedWith?: Id }
  | { type: 'PairReleased', courseId: Id, studentUserId: Id, reason: string, byUserId?: Id }
  /** A student or mentor asked the instructor for a different pairing (the reason stays with the request). */
  | { type: 'RematchRequested', courseId: Id, requestId: Id, studentUserId: Id, byUserId: Id, byRole: 'student' | 'mentor' }
  | { type: 'RematchDecided', courseId: Id, requestId: Id, studentUserId: Id, byUserId: Id, decision: 'accepted' | 'declined', note: string }
  /** The instructor asked students whose intake says nothing to fill it in. */
  | { type: 'IntakeReminderRequested', courseId: Id, byUserId: Id, studentUserIds: Id[] }
  | { type: 'StudentsDropped', courseId: Id, studentUserIds: Id[] }
  | { type: 'RosterSynced', courseId: Id }
  /** A launch made someone a member of the course: new, back after leaving, or in another role. */
  | { type: 'MemberJoined', courseId: Id, userId: Id, role: CourseRole }
  // Completion
  | { type: 'RulesChanged', courseId: Id, byUserId: Id }
  // Competencies and assessments
  /** The instructor saved a new revision of the course's competency framework (before the first assessment). */
  | { type: 'CompetenciesChanged', courseId: Id, byUserId: Id, revision: number }
  /** A student's self-assessment or their mentor's assessment of them at one point of the term (final once submitted). */
  /** One side's answer to "How useful was this session?" about a verified 1:1 session. */
  | { type: 'SessionFeedbackGiven', courseId: Id, activityId: Id, studentUserId: Id, side: 'student' | 'mentor', byUserId: Id, rating: number }
  /** One side's relationship check-in at an assessment point. */
  | { type: 'RelationshipCheckedIn', courseId: Id, studentUserId: Id, point: 'start' | 'mid' | 'end', side: 'student' | 'mentor', byUserId: Id, rating: number }
  | { type: 'AssessmentSubmitted', courseId: Id, studentUserId: Id, point: 'start' | 'mid' | 'end', side: 'self' | 'mentor', byUserId: Id }
  /** These students' scores changed and they meet the rules: some may have just completed (a student may be told more than once here). */
  | { type: 'CompletionReached', courseId: Id, studentUserIds: Id[] }

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
  'TripChanged', 'TripCancelled', 'TripStarted', 'AttendanceMarked', 'CheckedIn',
  'PairingPublished', 'PairingUnpublished', 'StudentPlaced', 'StudentsPlaced', 'PairMoved', 'PairReleased', 'StudentsDropped', 'RosterSynced', 'MemberJoined',
  'RulesChanged', 'AssessmentSubmitted'
] as const satisfies readonly DomainEventType[]
