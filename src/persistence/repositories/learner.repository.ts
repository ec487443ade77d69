import type { Id } from '../../domain/ids'
import type { Learner, LearnerStore } from '../../domain/completion/ports'
import type { Models } from '../database'
import { toId, toObjectId, toObjectIds } from '../ids'
import { PARTICIPATING_STUDENTS } from '../models/membership.model'

const BATCH = 500

/** The course's participating students (active, not the LMS's test user): the only members grades go to. */
export function createLearnerRepository ({ memberships, users }: Pick<Models, 'memberships' | 'users'>) {
  return {
    active: async (courseId: Id, only?: readonly Id[]): Promise<Learner[]> => {
      const rows = await memberships.find({ courseId: toObjectId(courseId), ...PARTICIPATING_STUDENTS, ...(only ? { userId: { $in: toObjectIds(only) } } : {}) }, { userId: 1 }).lean()
      const ids = rows.map((r) => r.userId)
      const people: Learner[] = []
      for (let i = 0; i < ids.length; i += BATCH) {
        const found = await users.find({ _id: { $in: ids.slice(i, i + BATCH) } }, { sub: 1, name: 1, email: 1 }).lean()
        people.push(...found.map((u) => ({ userId: toId(u._id), sub: u.sub, name: u.name, email: u.email })))
      }
      return people.sort((a, b) => a.name.localeCompare(b.name))
    }
  } satisfies LearnerStore
}

export type LearnerRepository = ReturnType<typeof createLearnerRepository>
