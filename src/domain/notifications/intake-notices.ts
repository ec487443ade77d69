import { recipientOf, type Notice } from './notice'
import type { PairingDirectory } from './ports'

/** The instructor's reminder to students whose intake says nothing yet: pairing goes better with their interests and goals. */
export async function intakeNotices (courseId: string, studentUserIds: readonly string[], directory: Pick<PairingDirectory, 'courseTitle' | 'students'>): Promise<Notice[]> {
  const [course, students] = await Promise.all([directory.courseTitle(courseId), directory.students(courseId, studentUserIds)])
  return [...students].map(([userId, student]): Notice => ({
    to: { address: student.email, name: student.name }, inbox: recipientOf.user(userId), key: `i-${userId}`,
    subject: `Tell us about your goals before you are paired with a mentor — ${course}`,
    line: 'Fill in your intake: tell us about your goals before you are paired with a mentor',
    template: 'intake-reminder', role: 'student', page: '/student/intake', data: { course, name: student.name }
  }))
}
