import type { Id } from '../ids'

/** Who answers: the student of the session, or their mentor. */
export const FEEDBACK_SIDES = ['student', 'mentor'] as const
export type FeedbackSide = typeof FEEDBACK_SIDES[number]

/** One side's answer to "How useful was this session?" about one verified 1:1 session; final once given. */
export interface SessionFeedback {
  courseId: Id
  activityId: Id
  studentUserId: Id
  side: FeedbackSide
  byUserId: Id
  rating: number
  comment: string
  /** The session's day, for lists. */
  sessionDate: Date
  at: Date
}

export interface FeedbackStore {
  /** Once per session and side (a unique key); false when that side answered before. */
  insert: (feedback: SessionFeedback) => Promise<boolean>
  ofCourse: (courseId: Id) => Promise<SessionFeedback[]>
}

/** One side's answer to "How well is your mentoring relationship working?" at one assessment point; final once given. */
export interface RelationshipCheckIn {
  courseId: Id
  studentUserId: Id
  point: 'start' | 'mid' | 'end'
  side: FeedbackSide
  byUserId: Id
  rating: number
  comment: string
  at: Date
}

export interface CheckInStore {
  /** Once per student, point and side (a unique key); false when that side answered before. */
  insert: (checkIn: RelationshipCheckIn) => Promise<boolean>
  ofCourse: (courseId: Id) => Promise<RelationshipCheckIn[]>
}
