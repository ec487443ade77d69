// What the progress read model needs from storage; src/persistence/repositories/progress.repository.ts implements it.
import type { Students } from '../activities/ports'
import type { Id } from '../ids'
import type { CourseTable, CourseTotals, TableRow } from './course-table'
import type { MenteeLine, MenteeProgress, RecordEntry, StudentProgress, TripEntry } from './student-progress'

/** A student's document: their progress and the pool mentor the read model last saw them paired with. */
export interface StudentDocument { progress: StudentProgress, mentorId: Id | null }

/** What a (re)build writes: every student's document, the course table, and each mentor's mentees. */
export interface CourseBuild {
  students: readonly StudentDocument[]
  table: CourseTable
  /** By pool mentor id, then student id. */
  mentees: Readonly<Record<Id, Record<Id, MenteeLine>>>
}

/** A change to one row of the course table: the row after it, given the row before (undefined: absent; null: remove). */
export type RowChange = (row: TableRow | undefined) => TableRow | null

/**
 * Each student's progress stored under an id computed from course and student, the course table (every active
 * member with their line) and one list of mentees per mentor, so a page reads a few documents by id instead of
 * scanning the course's records. A course counts as built once its marker exists.
 */
export interface ProgressStore {
  isBuilt: (courseId: Id) => Promise<boolean>
  /** The documents of the given students (or of every student of the course); students without one are absent. */
  ofStudents: (courseId: Id, students: Students) => Promise<StudentDocument[]>
  /** One student's document; null when they have none (nothing recorded, never paired). */
  ofStudent: (courseId: Id, studentUserId: Id) => Promise<StudentDocument | null>
  /** The course table (every member); empty when the course is not built. */
  table: (courseId: Id) => Promise<Map<Id, TableRow>>
  /** The course table's instructors and mentors only. */
  staff: (courseId: Id) => Promise<Map<Id, TableRow>>
  /** The course table's totals, kept with each change to its rows; null when the course is not built. */
  totals: (courseId: Id) => Promise<CourseTotals | null>
  /** Writes the whole course table (and its totals). */
  replaceTable: (courseId: Id, table: CourseTable) => Promise<void>
  /** Applies changes to rows of the course table, by user id (and keeps the totals). */
  updateRows: (courseId: Id, changes: ReadonlyMap<Id, RowChange>) => Promise<void>
  /** The mentees of these pool mentors, by student id. */
  mentees: (courseId: Id, mentorIds: readonly Id[]) => Promise<Map<Id, MenteeLine>>
  /** Records new mentors (null: none) in the students' documents. */
  setPairs: (courseId: Id, changes: ReadonlyArray<{ studentUserId: Id, mentorId: Id | null }>) => Promise<void>
  /** Replaces these mentors' lists of mentees, by pool mentor id (an empty list removes one). */
  replaceMentees: (courseId: Id, lists: Readonly<Record<Id, Readonly<Record<Id, MenteeLine>>>>) => Promise<void>
  /** Updates a mentee's progress in their mentor's list; nothing when the list does not name them. */
  setMenteeProgress: (courseId: Id, mentorId: Id, studentUserId: Id, progress: MenteeProgress) => Promise<void>
  /** Sets (or with null removes) one record entry and answers the student's document after the change. */
  setRecord: (courseId: Id, studentUserId: Id, recordId: Id, entry: RecordEntry | null) => Promise<StudentDocument>
  /** Sets (or with null removes) the student's attendance of one trip and answers their document after the change. */
  setTrip: (courseId: Id, studentUserId: Id, tripId: Id, entry: TripEntry | null) => Promise<StudentDocument>
  /** Marks the course unbuilt, so that its next read rebuilds it. */
  forgetCourse: (courseId: Id) => Promise<void>
  /** Replaces the whole course's documents (a rebuild) and marks the course built. */
  replaceCourse: (courseId: Id, build: CourseBuild) => Promise<void>
}
