import type { NoticeEmail } from './pairing-notices'
import type { PairingDirectory } from './ports'

/** What the student reads about an entry their mentor returned. */
export interface ReturnedEntry { what: string, date: string, comment: string, byName: string }

/** The email to a student whose mentor returned an entry with a comment: what, when, the comment, what to do. */
export async function returnedEmails (
  courseId: string, studentUserId: string, entry: ReturnedEntry | null, directory: Pick<PairingDirectory, 'courseTitle' | 'students'>
): Promise<NoticeEmail[]> {
  if (entry === null) return []
  const [course, students] = await Promise.all([directory.courseTitle(courseId), directory.students(courseId, [studentUserId])])
  const student = students.get(studentUserId)
  if (student === undefined || student.email === '') return []
  return [{
    to: { address: student.email, name: student.name }, key: `r-${studentUserId}`,
    subject: `${entry.byName} returned your ${entry.what} of ${entry.date} — ${course}`,
    template: 'activity-returned', role: 'student',
    data: { course, name: student.name, ...entry }
  }]
}
