import { recipientOf, type Notice } from './notice'
import type { PairingDirectory } from './ports'

/** What the student reads about an entry their mentor returned. */
export interface ReturnedEntry { what: string, date: string, comment: string, byName: string }

/** The email to a student whose mentor returned an entry with a comment: what, when, the comment, what to do. */
export async function returnedEmails (
  courseId: string, studentUserId: string, entry: ReturnedEntry | null, directory: Pick<PairingDirectory, 'courseTitle' | 'students'>
): Promise<Notice[]> {
  if (entry === null) return []
  const [course, students] = await Promise.all([directory.courseTitle(courseId), directory.students(courseId, [studentUserId])])
  const student = students.get(studentUserId)
  if (student === undefined) return []
  return [{
    to: { address: student.email, name: student.name }, inbox: recipientOf.user(studentUserId), key: `r-${studentUserId}`,
    subject: `${entry.byName} returned your ${entry.what} of ${entry.date} — ${course}`,
    line: `${entry.byName} returned your ${entry.what} of ${entry.date}${entry.comment === '' ? '' : `: “${entry.comment.length > 120 ? `${entry.comment.slice(0, 117)}…` : entry.comment}”`}`,
    template: 'activity-returned', role: 'student', page: '/student/activities',
    data: { course, name: student.name, ...entry }
  }]
}
