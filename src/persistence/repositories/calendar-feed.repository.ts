import type { FeedLink, FeedLinkStore } from '../../domain/calendar/ports'
import type { CourseRole } from '../../domain/launch/roles'
import { retryWhenBusy } from '../busy'
import type { Models } from '../database'
import { isDuplicateKey } from '../duplicate-key'
import { toId, toObjectId } from '../ids'

type Deps = Pick<Models, 'calendarFeeds'>
interface Row { _id: string, courseId: unknown, userId: unknown, role: string, createdAt: Date }

const linkOf = (row: Row): FeedLink => ({ tokenHash: row._id, courseId: toId(String(row.courseId)), userId: toId(String(row.userId)), role: row.role as CourseRole, createdAt: row.createdAt })

/** Personal calendar links, stored by their token's hash (who still takes part: taking-part.repository.ts). */
export function createCalendarFeedRepository (m: Deps): { links: FeedLinkStore } {
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
    }
  }
}
