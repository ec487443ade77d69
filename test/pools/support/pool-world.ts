import type { FastifyInstance } from 'fastify'
import type { Simulator } from '@mentorlink/simulator'
import { connectTool, launchAs, seedCourse, startLmsFor } from '../../helpers/lms'
import { startTestApp } from '../../helpers/test-app'

export const TOOL = { clientId: 'client-1', deploymentId: 'deploy-1' }
export const OTHER_TENANT = { clientId: 'client-2', deploymentId: 'deploy-2' }

/**
 * One tool, one simulated LMS and these people:
 * - mgt540: instructor Amara (who also teaches mgt541), LMS mentors Daniel and Pat (a parent), student Lucia;
 * - mgt541 (same tenant): Amara and instructor Ines, who does not teach mgt540;
 * - ext900 on another deployment of the same LMS (another tenant): instructor Otto.
 */
export interface PoolWorld {
  app: FastifyInstance
  sim: Simulator
  base: string
  /** A fresh session of `userId` in `courseId`, by a full LTI launch over HTTP. */
  session: (userId: string, courseId?: string) => Promise<string>
  close: () => Promise<void>
}

export async function startPoolWorld (overrides: Record<string, string> = {}): Promise<PoolWorld> {
  const app = await startTestApp(overrides)
  const sim = await startLmsFor(app, TOOL)
  await connectTool(app, sim, OTHER_TENANT)
  seedCourse(sim, 'mgt540', [
    { id: 'u-amara', name: 'Amara Okafor', roles: ['Instructor'] },
    { id: 'u-daniel', name: 'Daniel Reyes', roles: ['Mentor'] },
    { id: 'u-pat', name: 'Pat Parent', roles: ['Mentor'] },
    { id: 'u-lucia', name: 'Lucia Ferreira', roles: ['Learner'] }
  ])
  seedCourse(sim, 'mgt541', [
    { id: 'u-amara', name: 'Amara Okafor', roles: ['Instructor'] },
    { id: 'u-ines', name: 'Ines Duarte', roles: ['Instructor'] }
  ])
  seedCourse(sim, 'ext900', [{ id: 'u-otto', name: 'Otto Other', roles: ['Instructor'] }])
  const tenantOf = (courseId: string) => courseId === 'ext900' ? OTHER_TENANT : TOOL
  return {
    app,
    sim,
    base: app.config.publicUrl,
    session: async (userId, courseId = 'mgt540') => {
      const result = await launchAs(sim, { ...tenantOf(courseId), courseId, userId })
      if (!result.sessionToken) throw new Error(`launch of ${userId} in ${courseId} failed: ${result.launch.status} ${result.launchBody}`)
      return result.sessionToken
    },
    close: async () => {
      await sim.close()
      await app.close()
    }
  }
}
