import { Errors } from '../../errors'
import { sameId, type Id } from '../ids'
import type { PoolService } from './pool-service'
import type { MentorRepository, PoolCourse, PoolRepository } from './ports'

export interface PoolChoice { poolId: Id, courseTitles: string[], mentors: number }

/**
 * Reusing a pool: an instructor may point this course at the pool of another course they teach on the same
 * platform (tenant). Only a course whose own pool is still empty may switch, so no mentor is ever left behind.
 */
export function createPoolSharing (deps: { pools: PoolRepository, mentors: MentorRepository, poolService: PoolService }) {
  const choices = async (course: PoolCourse, userId: Id): Promise<PoolChoice[]> => {
    const current = await deps.poolService.poolIdOf(course)
    const { issuer, clientId, deploymentId } = course
    const taught = await deps.pools.poolCoursesTaughtBy(userId, { issuer, clientId, deploymentId }, course.id)
    const byPool = new Map<string, PoolChoice>()
    for (const c of taught) {
      if (sameId(c.poolId, current)) continue
      const choice = byPool.get(c.poolId) ?? { poolId: c.poolId, courseTitles: [], mentors: 0 }
      choice.courseTitles.push(c.title)
      byPool.set(c.poolId, choice)
    }
    const list = [...byPool.values()]
    await Promise.all(list.map(async (choice) => { choice.mentors = await deps.mentors.count(choice.poolId) }))
    return list
  }
  return {
    choices,
    /** Whether the course may still switch pools: its own pool has no mentors. */
    attach: async (course: PoolCourse, userId: Id, poolId: Id): Promise<PoolChoice> => {
      const current = await deps.poolService.poolIdOf(course)
      const choice = (await choices(course, userId)).find((c) => sameId(c.poolId, poolId))
      if (!choice) throw Errors.notFound('Pool')
      if (await deps.mentors.count(current) > 0) throw Errors.conflict('This course already has mentors in its own pool, so it keeps that pool')
      if (!await deps.pools.attach(course.id, current, choice.poolId)) throw Errors.conflict('The course pool changed meanwhile; reload the page')
      course.poolId = choice.poolId
      return choice
    }
  }
}

export type PoolSharing = ReturnType<typeof createPoolSharing>
