import type { Id } from '../ids'
import type { CourseRole } from '../launch/roles'
import type { MentorInput } from './mentor-fields'

/** The platform and tool registration a course, pool or user belongs to. */
export interface Tenant { issuer: string, clientId: string, deploymentId: string }

/** A course as the pool code needs it. `poolId` is null until the course's pool is first used. */
export interface PoolCourse extends Tenant { id: Id, title: string, poolId: Id | null }

export interface Pool { id: Id, name: string, ownerCourseId: Id, dismissedUserIds: Id[] }

export type MentorSource = 'lms' | 'external'

export interface Mentor {
  id: Id
  poolId: Id
  name: string
  email: string
  organisation: string
  jobTitle: string
  expertise: string[]
  capacity: number
  bio: string
  availability: string
  /** When the mentor's photo was last set; null or absent without one. */
  photoAt?: Date | null
  active: boolean
  source: MentorSource
  /** The LMS user, or the tool-local user an invitation created; null until known. */
  userId: Id | null
  createdAt: Date
  updatedAt: Date
}

export interface MentorOrigin { source: MentorSource, userId?: Id }
export type MentorSet = Partial<MentorInput> & { userId?: Id }

export interface Invitation {
  id: Id
  tokenHash: string
  poolId: Id
  mentorId: Id
  courseId: Id
  createdBy: Id
  expiresAt: Date
  usedAt: Date | null
  revokedAt: Date | null
  createdAt: Date
}
export type NewInvitation = Pick<Invitation, 'tokenHash' | 'poolId' | 'mentorId' | 'courseId' | 'createdBy' | 'expiresAt'>

/** A course member the LMS gave the Mentor role. */
export interface LmsMember { userId: Id, name: string, email: string }

export interface PoolRepository {
  /** The course's pool, created on first use; concurrent first requests agree on one. */
  ensureForCourse: (course: PoolCourse) => Promise<Pool>
  /** Points the course at another pool, if it still uses the one the caller saw. */
  attach: (courseId: Id, fromPoolId: Id, toPoolId: Id) => Promise<boolean>
  dismissUser: (poolId: Id, userId: Id) => Promise<void>
  /** Other courses of the tenant the user actively teaches that have a pool, by title. */
  poolCoursesTaughtBy: (userId: Id, tenant: Tenant, except: Id) => Promise<Array<PoolCourse & { poolId: Id }>>
  /** Active course members with the LMS Mentor role, by name. */
  lmsMentorsOf: (courseId: Id) => Promise<LmsMember[]>
}

/** Mentors, always looked up within one pool so an id from another pool is simply not found. */
export interface MentorRepository {
  list: (poolId: Id, filter?: { active?: boolean }) => Promise<Mentor[]>
  find: (poolId: Id, id: Id) => Promise<Mentor | null>
  findLinkedUsers: (poolId: Id) => Promise<Id[]>
  emails: (poolId: Id) => Promise<Set<string>>
  count: (poolId: Id) => Promise<number>
  countActive: (poolId: Id) => Promise<number>
  /** Null when the email is already in the pool. */
  create: (poolId: Id, input: MentorInput, origin: MentorOrigin) => Promise<Mentor | null>
  /** The updated mentor; null when not in the pool; 'duplicate' when the new email is already in the pool. */
  update: (poolId: Id, id: Id, set: MentorSet) => Promise<Mentor | null | 'duplicate'>
  /** All rows or none. */
  insertAll: (poolId: Id, inputs: MentorInput[], origin: MentorOrigin) => Promise<'ok' | 'duplicate'>
}

/** Invitation links for external mentors, and the tool-local users and sessions they lead to. */
export interface InvitationRepository {
  /** Revokes every unused link of the mentor; answers how many. */
  revokeOpen: (mentorId: Id, at: Date) => Promise<number>
  create: (invitation: NewInvitation) => Promise<Invitation>
  /** Marks a usable link used, once only; null when it is not usable (or was used meanwhile). */
  consume: (tokenHash: string, at: Date) => Promise<Invitation | null>
  findByHash: (tokenHash: string) => Promise<Invitation | null>
  /** Each mentor's latest invitation, by mentor id. */
  latestOf: (mentorIds: Id[]) => Promise<Map<Id, Invitation>>
  /** The tool-local user of an external mentor; answers its id. */
  upsertExternalUser: (tenant: Tenant, mentorId: Id, profile: { name: string, email: string }) => Promise<Id>
  endSessionsOf: (userId: Id) => Promise<void>
}

export interface PoolCourseLookup { poolCourse: (id: Id) => Promise<PoolCourse | null> }

/** Signs a user in to a course with a role; answers the session token. */
export interface SessionIssuer { create: (userId: Id, courseId: Id, role: CourseRole) => Promise<string> }
