import type { Types } from 'mongoose'
import type { Id as DomainId } from '../../domain/ids'
import type { Models } from '../database'
import { toIds, toObjectId } from '../ids'
import { createVisiblePairings } from '../visible-pairings'

type Id = Types.ObjectId

/** Who mentors whom in a course, as published. The single source for "a mentor sees only their mentees". */
export function createPairingRepository ({ pairings, mentors, courses, pairingPlans }: Pick<Models, 'pairings' | 'mentors' | 'courses' | 'pairingPlans'>) {
  const visible = createVisiblePairings({ pairings, pairingPlans })
  const mentorIdsInPool = async (poolId: Id | null | undefined, mentorUserId: Id): Promise<Id[]> =>
    poolId ? (await mentors.find({ poolId, userId: mentorUserId }, { _id: 1 }).lean()).map((m) => m._id) : []
  const mentorIdsOfUser = async (courseId: Id, mentorUserId: Id): Promise<Id[]> =>
    await mentorIdsInPool((await courses.findById(courseId, { poolId: 1 }).lean())?.poolId, mentorUserId)
  return {
    mentorIdsOfUser,
    /** A signed-in user's entries in the course's pool, for a caller that already has the course. */
    mentorIdsInPool,
    /** A pool mentor's profile, as their mentees see it. */
    mentorById: async (mentorId: DomainId) => await mentors.findById(mentorId).lean(),
    /** The user ids of the students a signed-in mentor currently mentors in this course. */
    menteeUserIdsOf: async (courseId: DomainId, mentorUserId: DomainId): Promise<DomainId[]> => {
      const mentorIds = await mentorIdsOfUser(toObjectId(courseId), toObjectId(mentorUserId))
      if (mentorIds.length === 0) return []
      const rows = await visible({ courseId: toObjectId(courseId), mentorId: { $in: mentorIds } }, { studentUserId: 1 })
      return toIds(rows.map((r) => r.studentUserId))
    },
    isMentorOf: async (courseId: DomainId, mentorUserId: DomainId, studentUserId: DomainId): Promise<boolean> => {
      const mentorIds = await mentorIdsOfUser(toObjectId(courseId), toObjectId(mentorUserId))
      return mentorIds.length > 0 && (await visible({ courseId: toObjectId(courseId), studentUserId: toObjectId(studentUserId), mentorId: { $in: mentorIds } }, { _id: 1 })).length > 0
    },
    /** The user id of a student's current mentor; null while unpaired, or while the mentor has never signed in. */
    mentorUserOf: async (courseId: DomainId, studentUserId: DomainId): Promise<DomainId | null> => {
      const [pair] = await visible({ courseId: toObjectId(courseId), studentUserId: toObjectId(studentUserId) }, { mentorId: 1 })
      if (!pair?.mentorId) return null
      const mentor = await mentors.findById(pair.mentorId, { userId: 1 }).lean()
      return mentor?.userId ? String(mentor.userId) : null
    },
    isPublished: async (courseId: Id): Promise<boolean> => (await pairingPlans.exists({ courseId, publishedAt: { $exists: true, $ne: null } })) !== null,
    activeForCourse: async (courseId: Id) => await visible({ courseId })
  }
}

export type PairingRepository = ReturnType<typeof createPairingRepository>
