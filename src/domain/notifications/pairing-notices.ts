import type { DomainEvent } from '../events/domain-events'
import { recipientOf, type Notice } from './notice'
import type { PairingDirectory } from './ports'

/** One change of a student's mentor that the student and the mentors concerned hear about. */
export interface PairChange { studentUserId: string, mentorId: string, fromMentorId: string | null }

/** What a pairing event changed for whom; nothing for events that pair nobody. */
export async function pairChangesOf (event: DomainEvent, directory: Pick<PairingDirectory, 'activePairs'>): Promise<PairChange[]> {
  switch (event.type) {
    case 'PairingPublished': {
      const published = new Set(event.studentUserIds)
      const placed = event.placed ?? (await directory.activePairs(event.courseId)).filter((p) => published.has(p.studentUserId))
      return placed.map((p) => ({ ...p, fromMentorId: null }))
    }
    case 'StudentsPlaced': return event.placed.map((p) => ({ ...p, fromMentorId: null }))
    case 'StudentPlaced': return [{ studentUserId: event.studentUserId, mentorId: event.mentorId, fromMentorId: null }]
    case 'PairMoved': return [{ studentUserId: event.studentUserId, mentorId: event.toMentorId, fromMentorId: event.fromMentorId }]
    default: return []
  }
}

/**
 * The notices a set of pairing changes sends: each student hears who their mentor is and how to reach them; each
 * mentor hears about their new mentees and their goals, in one email; a mentor a student moved away from is told.
 */
export async function pairingEmails (courseId: string, changes: readonly PairChange[], directory: PairingDirectory): Promise<Notice[]> {
  if (changes.length === 0) return []
  const mentorIds = [...new Set(changes.flatMap((c) => c.fromMentorId === null ? [c.mentorId] : [c.mentorId, c.fromMentorId]))]
  const [course, students, mentors, goals] = await Promise.all([
    directory.courseTitle(courseId),
    directory.students(courseId, changes.map((c) => c.studentUserId)),
    directory.mentors(courseId, mentorIds),
    directory.goals(courseId)
  ])
  const emails: Notice[] = []
  const newMentees = new Map<string, Array<{ name: string, email: string, goals: string }>>()
  for (const change of changes) {
    const student = students.get(change.studentUserId)
    const mentor = mentors.get(change.mentorId)
    if (student === undefined || mentor === undefined) continue
    emails.push({
      to: { address: student.email, name: student.name }, inbox: recipientOf.user(change.studentUserId), key: `s-${change.studentUserId}`,
      subject: change.fromMentorId === null ? `Your mentor in ${course}: ${mentor.name}` : `Your new mentor in ${course}: ${mentor.name}`,
      line: `${change.fromMentorId === null ? 'Your mentor' : 'Your new mentor'}: ${mentor.name}${mentor.organisation === '' ? '' : `, ${mentor.organisation}`}`,
      template: 'pairing-student', role: 'student', page: '/student',
      data: { course, name: student.name, moved: change.fromMentorId !== null, mentor }
    })
    const mentees = newMentees.get(change.mentorId) ?? []
    mentees.push({ ...student, goals: goals.get(change.studentUserId) ?? '' })
    newMentees.set(change.mentorId, mentees)
    const left = change.fromMentorId === null ? undefined : mentors.get(change.fromMentorId)
    if (left !== undefined && change.fromMentorId !== null) {
      emails.push({
        to: { address: left.email, name: left.name }, inbox: recipientOf.mentor(change.fromMentorId), key: `l-${change.fromMentorId}-${change.studentUserId}`,
        subject: `${student.name} has another mentor in ${course}`,
        line: `${student.name} has another mentor now`,
        template: 'pairing-mentor-left', role: 'mentor', page: '/mentor/mentees',
        data: { course, name: left.name, student: { name: student.name } }
      })
    }
  }
  for (const [mentorId, mentees] of newMentees) {
    const mentor = mentors.get(mentorId)
    if (mentor === undefined) continue
    emails.push({
      to: { address: mentor.email, name: mentor.name }, inbox: recipientOf.mentor(mentorId), key: `m-${mentorId}`,
      subject: mentees.length === 1 ? `Your new mentee in ${course}: ${mentees[0]?.name ?? ''}` : `Your ${mentees.length} new mentees in ${course}`,
      line: `${mentees.length === 1 ? 'Your new mentee' : `Your ${mentees.length} new mentees`}: ${mentees.map((m) => m.name).join(', ')}`,
      template: 'pairing-mentor', role: 'mentor', page: '/mentor/mentees',
      data: { course, name: mentor.name, mentees, many: mentees.length > 1 }
    })
  }
  return emails
}
