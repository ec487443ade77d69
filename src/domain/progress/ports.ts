// What the progress read model needs from storage; src/persistence/repositories/progress.repository.ts implements it.
import type { Students } from '../activities/ports'
import type { Id } from '../ids'
import type { CourseRole } from '../launch/roles'
import type { MenteeLine, MenteeProgress, ProgressSummary, RecordEntry, StudentProgress, TripEntry } from './student-progress'

/** A student's document: their progress and the pool mentor the read model last saw them paired with. */
export interface StudentDocument { progress: StudentProgress, mentorId: Id | null }

/** What a (re)build writes: every student's document, the course summary, and each mentor's mentees. */
export interface CourseBuild {
  students: readonly StudentDocument[]
  summaries: Readonly<Record<Id, ProgressSummary>>
  /** The course's active members' roles, by user id. */
  members: Readonly<Record<Id, CourseRole>>
  /** By pool mentor id, then student id. */
  mentees: Readonly<Record<Id, Record<Id, MenteeLine>>>
}

/**
 * Each student's progress stored under an id computed from course and student, one summary per course and one list of
 * mentees per mentor, so a page reads them by id instead of scanning the course's records. A course counts as built
 * once its summary exists.
 */
export interface ProgressStore {
  isBuilt: (courseId: Id) => Promise<boolean>
  /** The progress of the given students (or of every student of the course); students without any entry are absent. */
  ofStudents: (courseId: Id, students: Students) => Promise<StudentProgress[]>
  /**
   * The course's summaries per student id (students who recorded no activity are absent) and its active members'
   * roles by user id; null when the course is not built.
   */
  course: (courseId: Id) => Promise<{ summaries: Readonly<Record<Id, ProgressSummary>>, members: Readonly<Record<Id, CourseRole>> } | null>
  /** Records an active member's role (null: no longer an active member). */
  setMember: (courseId: Id, userId: Id, role: CourseRole | null) => Promise<void>
  /** Replaces the course's active members, as a roster sync left them. */
  replaceMembers: (courseId: Id, members: Readonly<Record<Id, CourseRole>>) => Promise<void>
  /** One student's document; null when they have none (nothing recorded, never paired). */
  ofStudent: (courseId: Id, studentUserId: Id) => Promise<StudentDocument | null>
  /** The mentees of these pool mentors, by student id. */
  mentees: (courseId: Id, mentorIds: readonly Id[]) => Promise<Map<Id, MenteeLine>>
  /** Each paired student's mentor as the read model last recorded it, by student id. */
  pairs: (courseId: Id) => Promise<Readonly<Record<Id, Id>>>
  /** Records new mentors (null: none) in the students' documents and in the course's list of pairs. */
  setPairs: (courseId: Id, changes: ReadonlyArray<{ studentUserId: Id, mentorId: Id | null }>) => Promise<void>
  /** Replaces one mentor's list of mentees (an empty list removes it). */
  replaceMentees: (courseId: Id, mentorId: Id, mentees: Readonly<Record<Id, MenteeLine>>) => Promise<void>
  /** Updates a mentee's progress in their mentor's list; nothing when the list does not name them. */
  setMenteeProgress: (courseId: Id, mentorId: Id, studentUserId: Id, progress: MenteeProgress) => Promise<void>
  /** Sets (or with null removes) one record entry and answers the student's document after the change. */
  setRecord: (courseId: Id, studentUserId: Id, recordId: Id, entry: RecordEntry | null) => Promise<StudentDocument>
  /** Sets (or with null removes) the student's attendance of one trip and answers their document after the change. */
  setTrip: (courseId: Id, studentUserId: Id, tripId: Id, entry: TripEntry | null) => Promise<StudentDocument>
  /** Sets (or with null removes) the student's line in the course summary. */
  setSummary: (courseId: Id, studentUserId: Id, summary: ProgressSummary | null) => Promise<void>
  /** Marks the course unbuilt (its summary goes), so that its next read rebuilds it. */
  forgetCourse: (courseId: Id) => Promise<void>
  /** Replaces the whole course's documents (a rebuild) and marks the course built. */
  replaceCourse: (courseId: Id, build: CourseBuild) => Promise<void>
}
