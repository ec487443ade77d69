import type { GradedCourse } from '../../domain/grading/ports'
import type { Id } from '../../domain/ids'
import type { Database } from '../database'
import { toId, toObjectId } from '../ids'
import { createCompletionRulesRepository } from './completion-rules.repository'
import { createGradeLaneRepository } from './grade-lane.repository'
import { createGradeOutboxRepository } from './grade-outbox.repository'
import { createGradeSyncRepository } from './grade-sync.repository'
import { createLearnerRepository } from './learner.repository'
import { createPlatformPaceRepository } from './platform-pace.repository'

/** Everything completion and grade passback keep, over the app's database. */
export function createGradingStores ({ models }: Pick<Database, 'models'>) {
  return {
    rules: createCompletionRulesRepository(models),
    learners: createLearnerRepository(models),
    outbox: createGradeOutboxRepository(models),
    lanes: createGradeLaneRepository(models),
    syncs: createGradeSyncRepository(models),
    paces: createPlatformPaceRepository(models),
    findCourse: async (courseId: Id): Promise<GradedCourse | null> => {
      const course = await models.courses.findById(toObjectId(courseId)).lean()
      if (!course) return null
      const { issuer, clientId, lineItemsUrl, lineItemUrl, agsScopes } = course
      return { id: toId(course._id), issuer, clientId, lineItemsUrl, lineItemUrl, agsScopes }
    }
  }
}
