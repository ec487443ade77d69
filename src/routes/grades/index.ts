import type { FastifyPluginAsync } from 'fastify'
import { gradeApiRoutes, type GradeRoutesOptions } from './api'
import { gradePageRoutes } from './pages'

/** Grade passback for instructors: the JSON API and the Grades page. */
export const gradeRoutes: FastifyPluginAsync<GradeRoutesOptions> = async (app, options) => {
  await app.register(gradeApiRoutes, options)
  await app.register(gradePageRoutes, options)
}
