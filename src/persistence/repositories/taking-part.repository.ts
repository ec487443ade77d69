import type { TakesPart } from '../../domain/calendar/ports'
import type { Models } from '../database'
import { toObjectId } from '../ids'
import { membershipIdOf } from '../natural-ids'

type Deps = Pick<Models, 'memberships' | 'mentors' | 'courses'>

/**
 * Whether someone still takes part in a course in a role: for the calendar feed on each fetch, and for sessions
 * (auth/session-standing.ts). An LMS member takes part while their membership is active in that role; an external
 * mentor (no membership) while they are an active mentor of the course's pool. The membership is read by its derived
 * `_id`, the one lookup FerretDB answers from its index; only memberships written before ids were derived, and
 * external mentors who were deactivated, cost a scan.
 */
export function createTakingPart (m: Deps): TakesPart {
  const poolMentor = async (courseId: string, userId: string): Promise<boolean> => {
    const course = await m.courses.findById(toObjectId(courseId), { poolId: 1 }).lean()
    if (!course?.poolId) return false
    return (await m.mentors.exists({ poolId: course.poolId, userId: toObjectId(userId), active: true })) !== null
  }
  return async (courseId, userId, role) => {
    const projection = { role: 1, status: 1 }
    let member = await m.memberships.findById(membershipIdOf(courseId, userId), projection).lean()
    if (member === null && role === 'mentor' && await poolMentor(courseId, userId)) return true
    member ??= await m.memberships.findOne({ courseId: toObjectId(courseId), userId: toObjectId(userId) }, projection).lean()
    return member !== null && member.status === 'active' && member.role === role
  }
}
