import type { FeedLink, FeedLinkStore, TakesPart } from '../../domain/calendar/ports'
import type { CourseRole } from '../../domain/launch/roles'
import { retryWhenBusy } from '../busy'
import type { Models } from '../database'
import { isDuplicateKey } from '../duplicate-key'
import { toId, toObjectId } from '../ids'

type Deps = Pick<Models, 'calendarFeeds' | 'memberships' | 'mentors' | 'courses'>
interface Row { _id: string, courseId: unknown, userId: unknown, role: string, createdAt: Date }

const linkOf = (row: Row): FeedLink => ({ tokenHash: row._id, courseId: toId(String(row.courseId)), userId: toId(String(row.userId)), role: row.role as CourseRole, createdAt: row.createdAt })

/** Personal calendar links (stored by their token's hash), and who still takes part in a course for their feed. */
export function createCalendarFeedRepository (m: Deps): { links: FeedLinkStore, takesPart: TakesPart } {
  return {
    links: {
      create: async (link) => {
        try {
          await retryWhenBusy(async () => await m.calendarFeeds.create({
            _id: link.tokenHash, courseId: toObjectId(link.courseId), userId: toObjectId(link.userId), role: link.role, createdAt: link.createdAt
          }))
          return true
        } catch (err) {
          if (isDuplicateKey(err)) return false
          throw err
        }
      },
      find: async (tokenHash) => {
        const row = await m.calendarFeeds.findById(tokenHash).lean<Row>()
        return row === null ? null : linkOf(row)
      },
      of: async (courseId, userId) => {
        const row = await m.calendarFeeds.findOne({ courseId: toObjectId(courseId), userId: toObjectId(userId) }).lean<Row>()
        return row === null ? null : linkOf(row)
      },
      remove: async (courseId, userId) => {
        await retryWhenBusy(async () => await m.calendarFeeds.deleteMany({ courseId: toObjectId(courseId), userId: toObjectId(userId) }))
      }
    },
    // An LMS member takes part while their membership is active in that role; an external mentor (no membership) while
    // they are an active mentor of the course's pool.
    takesPart: async (courseId, userId, role) => {
      const member = await m.memberships.findOne({ courseId: toObjectId(courseId), userId: toObjectId(userId) }, { role: 1, status: 1 }).lean()
      if (member !== null) return member.status === 'active' && member.role === role
      if (role !== 'mentor') return false
      const course = await m.courses.findById(toObjectId(courseId), { poolId: 1 }).lean()
      if (!course?.poolId) return false
      return (await m.mentors.exists({ poolId: course.poolId, userId: toObjectId(userId), active: true })) !== null
    }
  }
}
