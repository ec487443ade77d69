// What the progress read model needs from storage; src/persistence/repositories/progress.repository.ts implements it.
import type { Students } from '../activities/ports'
import type { Id } from '../ids'
import type { ProgressSummary, RecordEntry, StudentProgress, TripEntry } from './student-progress'

/**
 * Each student's progress stored under an id computed from course and student, and one summary per course, so a
 * page reads them by id instead of scanning the course's records. A course counts as built once its summary exists.
 */
export interface ProgressStore {
  isBuilt: (courseId: Id) => Promise<boolean>
  /** The progress of the given students (or of every student of the course); students without any entry are absent. */
  ofStudents: (courseId: Id, students: Students) => Promise<StudentProgress[]>
  /** Per student id (students who recorded no activity are absent), for a built course; null when the course is not built. */
  summary: (courseId: Id) => Promise<Readonly<Record<Id, ProgressSummary>> | null>
  /** Sets (or with null removes) one record entry and answers the student's progress after the change. */
  setRecord: (courseId: Id, studentUserId: Id, recordId: Id, entry: RecordEntry | null) => Promise<StudentProgress>
  /** Sets (or with null removes) the student's attendance of one trip. */
  setTrip: (courseId: Id, studentUserId: Id, tripId: Id, entry: TripEntry | null) => Promise<void>
  /** Sets (or with null removes) the student's line in the course summary. */
  setSummary: (courseId: Id, studentUserId: Id, summary: ProgressSummary | null) => Promise<void>
  /** Marks the course unbuilt (its summary goes), so that its next read rebuilds it. */
  forgetCourse: (courseId: Id) => Promise<void>
  /** Replaces the whole course's progress and summary (a rebuild) and marks the course built. */
  replaceCourse: (courseId: Id, students: readonly StudentProgress[], summaries: Readonly<Record<Id, ProgressSummary>>) => Promise<void>
}
