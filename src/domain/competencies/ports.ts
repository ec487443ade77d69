import type { Id } from '../ids'
import type { Competency, PointKey, Side } from './vocabulary'

/**
 * One revision of a course's framework. Revisions are numbered from 1; revision 0 is the default framework, never
 * stored. The framework is locked by a last revision with `locked` set, written when the first assessment comes in.
 */
export interface FrameworkRevision {
  courseId: Id
  revision: number
  competencies: Competency[]
  locked: boolean
  byUserId: Id | null
  at: Date
  /** Where a copied framework came from. */
  copiedFrom?: Id | null
}

export interface FrameworkStore {
  /** The course's latest stored revision, or null while it uses the defaults. */
  latest: (courseId: Id) => Promise<FrameworkRevision | null>
  /**
   * Stores the revision if its number is free for the course (a unique insert: of two writers of the same number
   * exactly one wins); false when another writer took it first.
   */
  insert: (revision: FrameworkRevision) => Promise<boolean>
}

/** A course of the same LMS (tenant) in which the person is an instructor, whose framework they may copy. */
export interface CourseChoice { courseId: Id, title: string }

export interface InstructorCourses {
  /** The other courses of the same LMS where `userId` teaches (active membership as instructor). */
  otherCoursesOf: (courseId: Id, userId: Id) => Promise<CourseChoice[]>
}

export interface Rating { competency: string, level: number, comment: string }

/** One side's submitted assessment of a student at one point; final once stored. */
export interface Assessment {
  courseId: Id
  studentUserId: Id
  point: PointKey
  side: Side
  byUserId: Id
  ratings: Rating[]
  frameworkRevision: number
  submittedAt: Date
  /** Submitted after the point's due day. */
  late: boolean
}

export interface AssessmentStore {
  /** Stores the assessment once per course, student, point and side (a unique key); false if one was stored before. */
  insert: (assessment: Assessment) => Promise<boolean>
  ofStudent: (courseId: Id, studentUserId: Id) => Promise<Assessment[]>
  /** The assessments of some students of a course, in one read. */
  ofStudents: (courseId: Id, studentUserIds: readonly Id[]) => Promise<Assessment[]>
  ofCourse: (courseId: Id) => Promise<Assessment[]>
  /** Whether any assessment exists for the course. */
  any: (courseId: Id) => Promise<boolean>
}
