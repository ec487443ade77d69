// What the activities need from storage, in domain types; src/persistence/repositories implements it.
import type { Id } from '../ids'
import type { CourseRole } from '../launch/roles'
import type { MembershipStatus } from '../roster/roster-plan'
import type { CheckInWindow } from './trip-clock'
import type {
  ActivityKind, AttendanceStatus, CoachingSkill, GoalHorizon, GoalStatus, RsvpAnswer, RsvpState, VerificationStatus
} from './vocabulary'

/** Whose entries a query may return: some students, or every student of the course (instructors). */
export type Students = readonly Id[] | 'all'

/** What every entry of a student's mentoring record has. */
export interface StudentRecord {
  _id: Id
  courseId: Id
  studentUserId: Id
  createdBy: Id
  createdByRole: CourseRole
  deletedAt?: Date | null
  deletedBy?: Id | null
  createdAt: Date
  updatedAt: Date
}

/** The fields one kind of entry adds to the shared ones: what a service writes. */
export type RecordFields<T extends StudentRecord> = Omit<T, keyof StudentRecord>
export type NewRecord<T extends StudentRecord> = RecordFields<T> & Pick<StudentRecord, 'courseId' | 'studentUserId' | 'createdBy' | 'createdByRole'>
/** The fields an edit sets; the ones left out keep their values. */
export type RecordPatch<T extends StudentRecord> = Partial<RecordFields<T>>

export interface Review { by: Id, at: Date, comment: string }

export interface Activity extends StudentRecord {
  kind: ActivityKind
  date: Date
  durationMinutes?: number | null
  topics?: string[] | null
  notes?: string | null
  skill?: CoachingSkill | null
  practised?: string | null
  organisation?: string | null
  reflection?: string | null
  status: VerificationStatus
  review: Review | null
}

export interface GoalProgressEntry { date: Date, note: string, status?: GoalStatus | null, by: Id, at: Date }

export interface Goal extends StudentRecord {
  horizon: GoalHorizon
  text: string
  targetDate: Date
  status: GoalStatus
  progress: GoalProgressEntry[]
}

export interface Contact extends StudentRecord { name: string, organisation: string, role: string, whereMet: string, followUp: string }

export interface Reflection extends StudentRecord { date: Date, text: string, activityId: Id | null }

/** Equalities on stored fields of the same name, e.g. `{ status: 'pending' }`. */
export type RecordFilter = Readonly<Record<string, string>>

/**
 * One kind of student record. Every query is bound to a course and skips soft-deleted entries, so an id from
 * another course, or a deleted one, is simply not found.
 */
export interface StudentRecordRepository<T extends StudentRecord> {
  list: (courseId: Id, students: Students, filter?: RecordFilter) => Promise<T[]>
  find: (courseId: Id, id: Id) => Promise<T | null>
  create: (entry: NewRecord<T>) => Promise<T>
  /** Sets the patch's fields only if nobody changed the entry since `seen` was read; null otherwise. */
  update: (seen: T, patch: RecordPatch<T>) => Promise<T | null>
  softDelete: (seen: T, by: Id, at: Date) => Promise<T | null>
}

export interface GoalRepository extends StudentRecordRepository<Goal> {
  /** Appends a progress entry, moving the goal to the entry's status when it names one; null if changed since `seen`. */
  addProgress: (seen: Goal, entry: GoalProgressEntry) => Promise<Goal | null>
}

export interface StudentRecordRepositories {
  activities: StudentRecordRepository<Activity>
  goals: GoalRepository
  contacts: StudentRecordRepository<Contact>
  reflections: StudentRecordRepository<Reflection>
}

export interface FieldTrip {
  _id: Id
  courseId: Id
  title: string
  startsAt: Date
  /** The zone where the trip happens: its time is entered and shown as the clocks there say it. */
  timeZone?: string | null
  /** Absent on trips saved before trips had an end (tripEnd: two hours after the start). */
  endsAt?: Date | null
  place: string
  description: string
  capacity: number
  invitedUserIds: Id[]
  /** Open to every student of the course (not only the organiser's mentees); a yes beyond the capacity joins a waitlist. */
  openToCourse?: boolean
  organiserUserId: Id
  organiserRole: CourseRole
  deletedAt?: Date | null
  deletedBy?: Id | null
  createdAt: Date
  updatedAt: Date
}
export type NewFieldTrip = Pick<FieldTrip, 'courseId' | 'title' | 'startsAt' | 'endsAt' | 'timeZone' | 'place' | 'description' | 'capacity' | 'invitedUserIds' | 'openToCourse' | 'organiserUserId' | 'organiserRole'>
export type FieldTripChanges = Partial<Pick<FieldTrip, 'title' | 'startsAt' | 'endsAt' | 'timeZone' | 'place' | 'description' | 'capacity' | 'invitedUserIds' | 'openToCourse'>>

/** Field trips of a course; like every record, bound to one course and soft-deleted. */
export interface FieldTripRepository {
  find: (courseId: Id, id: Id) => Promise<FieldTrip | null>
  /** Also a cancelled trip, as it was last. */
  findEvenCancelled: (courseId: Id, id: Id) => Promise<FieldTrip | null>
  /** Trips organised by `organiser` or inviting any of `invited`; every trip of the course when both are absent. */
  list: (courseId: Id, who?: { organiser?: Id, invited?: readonly Id[] }) => Promise<FieldTrip[]>
  create: (trip: NewFieldTrip) => Promise<FieldTrip>
  /** Applies the changes only if nobody changed the trip since `seen` was read; null otherwise. */
  update: (seen: FieldTrip, changes: FieldTripChanges) => Promise<FieldTrip | null>
  softDelete: (seen: FieldTrip, by: Id, at: Date) => Promise<FieldTrip | null>
}

/** `waiting`: said yes to a full trip open to the course; `answeredAt` is then when they joined the waitlist. */
export interface Rsvp { _id: Id, courseId: Id, fieldTripId: Id, studentUserId: Id, answer: RsvpState, answeredAt: Date }
export type TripSeats = Pick<FieldTrip, '_id' | 'courseId' | 'capacity' | 'openToCourse'>

/** Answers to field trip invitations, one per trip and student; a yes holds one of the trip's seats. */
export interface RsvpRepository {
  ofTrip: (fieldTripId: Id) => Promise<Rsvp[]>
  ofTrips: (fieldTripIds: readonly Id[]) => Promise<Rsvp[]>
  countYes: (fieldTripId: Id) => Promise<number>
  /**
   * A yes takes a free seat below the capacity ('full' when none is left; on a trip open to the course, 'waiting': the
   * student joins the waitlist, also while others wait before them); a no gives the seat back (see promoteWaiting).
   */
  answer: (trip: TripSeats, student: Id, answer: RsvpAnswer, at: Date) => Promise<'saved' | 'full' | 'waiting'>
  /**
   * Gives free seats to the students waiting longest, each promotion once even when several releases run at once;
   * answers the students promoted by this call.
   */
  promoteWaiting: (trip: TripSeats, at: Date) => Promise<Id[]>
  /** Fits the yes answers under a lowered capacity; false when there are more of them (a student took a seat meanwhile). */
  fitInto: (trip: TripSeats, capacity: number) => Promise<boolean>
  /** Forgets the answers of students no longer invited. */
  removeStudents: (fieldTripId: Id, keep: readonly Id[]) => Promise<void>
}

export interface Attendance {
  _id: Id
  courseId: Id
  fieldTripId: Id
  studentUserId: Id
  status: AttendanceStatus
  via: 'checklist' | 'check-in'
  recordedBy: Id
  recordedAt: Date
  createdAt: Date
  updatedAt: Date
}
export interface AttendanceMark { studentUserId: Id, status: AttendanceStatus }
export interface CheckIn { _id: Id, code: string, courseId: Id, fieldTripId: Id, opensAt: Date, closesAt: Date, openedBy: Id, createdAt: Date }
export type NewCheckIn = Pick<CheckIn, 'courseId' | 'fieldTripId' | 'opensAt' | 'closesAt' | 'openedBy'>

/** Attendance of field trips (one row per trip and student) and the check-in windows students check in through. */
export interface AttendanceRepository {
  ofTrip: (fieldTripId: Id) => Promise<Attendance[]>
  ofCourse: (courseId: Id) => Promise<Attendance[]>
  /** The checklist: sets each listed student's status; rows of students not listed stay as they are. */
  mark: (courseId: Id, fieldTripId: Id, marks: readonly AttendanceMark[], by: Id, at: Date) => Promise<void>
  /** Marks the student present, once: `already` when they were present before. */
  checkIn: (courseId: Id, fieldTripId: Id, studentUserId: Id, at: Date) => Promise<{ already: boolean, row: Attendance }>
  /** Opens a window under a code never used before. */
  openCheckIn: (window: NewCheckIn, nextCode: () => string) => Promise<CheckIn>
  /** Ends the trip's windows still open at `at`. */
  closeOpen: (fieldTripId: Id, at: Date) => Promise<void>
  latestOf: (fieldTripId: Id) => Promise<CheckIn | null>
  findByCode: (code: string) => Promise<CheckIn | null>
}

/** A course's own settings for its field trips; null: the defaults. */
export interface FieldTripSettings {
  checkInWindow: (courseId: Id) => Promise<CheckInWindow | null>
  saveCheckInWindow: (courseId: Id, window: CheckInWindow) => Promise<void>
}

export interface AuditChange {
  courseId: Id
  entity: string
  entityId: Id
  action: string
  actor: { userId: Id, role: CourseRole }
  before: unknown
  after: unknown
}

/** The append-only trail of changes to the mentoring record. */
export interface AuditTrail { record: (change: AuditChange) => Promise<void> }

/** Who mentors whom, as the published pairing says. */
export interface Pairings {
  /** The user ids of the students a signed-in mentor currently mentors in this course. */
  menteeUserIdsOf: (courseId: Id, mentorUserId: Id) => Promise<Id[]>
  isMentorOf: (courseId: Id, mentorUserId: Id, studentUserId: Id) => Promise<boolean>
}

/** `testUser`: the LMS's student view or test student, who takes part in nothing that is graded. */
export interface CourseMember { userId: Id, name: string, email: string, role: CourseRole, status: MembershipStatus, testUser: boolean }

/** What progress and the course report read from the roster and the pairing: people, not their records. */
export interface CoursePeople {
  members: (courseId: Id) => Promise<CourseMember[]>
  /** The course's active students, without their names (cheaper than `members`). */
  activeStudentIds: (courseId: Id) => Promise<Id[]>
  /** Each paired student's current pool mentor. */
  /** `pairedAt`: when the pair was published. */
  activePairs: (courseId: Id) => Promise<Array<{ studentUserId: Id, mentorId: Id, pairedAt: Date }>>
  poolMentors: (poolId: Id) => Promise<Array<{ id: Id, name: string }>>
  /** One member, whatever their status; null when they never were one. */
  member: (courseId: Id, userId: Id) => Promise<CourseMember | null>
}
