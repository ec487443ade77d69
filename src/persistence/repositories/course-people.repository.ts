import type { CoursePeople } from '../../domain/activities/ports'
import { toId, toObjectId } from '../ids'
import type { MentorRepository } from '../../domain/pools/ports'
import type { PairingRepository } from './pairing.repository'
import type { RosterRepository } from './roster.repository'

/** The people of a course as the activities read them, through the repositories of the areas that own them. */
export function createCoursePeople ({ roster, pairings, mentors }: {
  roster: Pick<RosterRepository, 'listMembers' | 'activeUserIds' | 'findMember'>
  pairings: Pick<PairingRepository, 'activeForCourse'>
  mentors: Pick<MentorRepository, 'list'>
}): CoursePeople {
  return {
    members: async (courseId) => (await roster.listMembers(toObjectId(courseId))).map((m) => ({ ...m, userId: toId(m.userId) })),
    activeStudentIds: async (courseId) => (await roster.activeUserIds(toObjectId(courseId), 'student')).map(toId),
    activePairs: async (courseId) =>
      (await pairings.activeForCourse(toObjectId(courseId))).map((p) => ({ studentUserId: toId(p.studentUserId), mentorId: toId(p.mentorId), pairedAt: p.publishedAt })),
    poolMentors: async (poolId) => (await mentors.list(poolId)).map((m) => ({ id: m.id, name: m.name })),
    member: async (courseId, userId) => {
      const member = await roster.findMember(toObjectId(courseId), toObjectId(userId))
      return member ? { ...member, userId: toId(member.userId) } : null
    }
  }
}
