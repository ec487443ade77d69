import { recipientOf, type Notice } from './notice'
import type { PairingDirectory } from './ports'

/** The student who completed hears it (and that the gradebook has it); their mentor hears it too. */
export async function completionNotices (
  courseId: string, studentUserIds: readonly string[], directory: Pick<PairingDirectory, 'courseTitle' | 'students' | 'activePairs' | 'mentors'>
): Promise<Notice[]> {
  if (studentUserIds.length === 0) return []
  const [course, students, pairs] = await Promise.all([directory.courseTitle(courseId), directory.students(courseId, studentUserIds), directory.activePairs(courseId)])
  const mentorOf = new Map(pairs.map((p) => [p.studentUserId, p.mentorId]))
  const mentors = await directory.mentors(courseId, [...new Set(studentUserIds.flatMap((id) => mentorOf.get(id) ?? []))])
  return [...students].flatMap(([userId, student]): Notice[] => {
    const mentorId = mentorOf.get(userId)
    const mentor = mentorId === undefined ? undefined : mentors.get(mentorId)
    const data = { course, student: student.name, mentor: mentor?.name ?? '' }
    return [{
      to: { address: student.email, name: student.name }, inbox: recipientOf.user(userId), key: `c-${userId}`,
      subject: `You completed the mentoring of ${course}`,
      line: 'You completed the mentoring programme: your grade goes to the gradebook',
      template: 'completion-student', role: 'student', page: '/student', data: { ...data, name: student.name }
    }, ...(mentor === undefined || mentorId === undefined
      ? []
      : [{
          to: { address: mentor.email, name: mentor.name }, inbox: recipientOf.mentor(mentorId), key: `cm-${userId}`,
          subject: `${student.name} completed the mentoring of ${course}`,
          line: `${student.name} completed the mentoring programme`,
          template: 'completion-mentor', role: 'mentor' as const, page: '/mentor/mentees', data: { ...data, name: mentor.name }
        }])]
  })
}
