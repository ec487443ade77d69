import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf, type RequireRole } from '../../auth/require-session'
import { countProgress } from '../../domain/activities/progress-counts'
import {
  ActivityCreate, ActivityPatch, ContactCreate, ContactPatch, GoalCreate, GoalPatch, GoalProgress, ReflectionCreate, ReflectionPatch, Verification
} from '../../domain/activities/record-fields'
import { ACTIVITY_KINDS, GOAL_HORIZONS, GOAL_STATUSES, VERIFICATION_STATUSES } from '../../domain/activities/vocabulary'
import { apiCommon, errorResponses, IdParams, objectIdString } from '../../http/schemas'
import { registerRecordApi } from './api-crud'
import { ActivityJson, ContactJson, GoalJson, ProgressJson, ReflectionJson, toActivityJson, toContactJson, toGoalJson, toReflectionJson } from './schemas'
import type { ActivityServices } from '../../services'
import { actorOf, poolIdOf } from './actor'

export interface ActivityApiOptions { requireRole: RequireRole, services: ActivityServices }

/** The JSON API of the student record: activities and their verification, goals, contacts, reflections, progress. */
export const activityApiRoutes: FastifyPluginAsync<ActivityApiOptions> = async (app, { requireRole, services }) => {
  registerRecordApi(app, requireRole, {
    path: '/api/v1/activities', tag: 'Activities', noun: 'activity', service: services.activities,
    Create: ActivityCreate, Patch: ActivityPatch, Json: ActivityJson, toJson: toActivityJson,
    filters: { kind: z.enum(ACTIVITY_KINDS).optional(), status: z.enum(VERIFICATION_STATUSES).optional() }
  })
  registerRecordApi(app, requireRole, {
    path: '/api/v1/goals', tag: 'Goals', noun: 'goal', service: services.goals,
    Create: GoalCreate, Patch: GoalPatch, Json: GoalJson, toJson: toGoalJson,
    filters: { horizon: z.enum(GOAL_HORIZONS).optional(), status: z.enum(GOAL_STATUSES).optional() }
  })
  registerRecordApi(app, requireRole, {
    path: '/api/v1/contacts', tag: 'Contacts', noun: 'contact', service: services.contacts,
    Create: ContactCreate, Patch: ContactPatch, Json: ContactJson, toJson: toContactJson
  })
  registerRecordApi(app, requireRole, {
    path: '/api/v1/reflections', tag: 'Reflections', noun: 'reflection', service: services.reflections,
    Create: ReflectionCreate, Patch: ReflectionPatch, Json: ReflectionJson, toJson: toReflectionJson
  })

  const api = app.withTypeProvider<ZodTypeProvider>()

  api.post('/api/v1/goals/:id/progress', {
    schema: { ...apiCommon('Goals'), summary: 'Add a dated progress update, optionally moving the goal to a new status', params: IdParams, body: GoalProgress, response: { 200: GoalJson, ...errorResponses } },
    preHandler: requireRole('student', 'mentor')
  }, async (request) => toGoalJson(await services.goals.addProgress(actorOf(authOf(request)), request.params.id, request.body)))

  api.get('/api/v1/verifications', {
    schema: {
      ...apiCommon('Verifications'),
      summary: 'Activities students logged that wait for their mentor',
      querystring: z.object({ studentUserId: objectIdString.optional() }),
      response: { 200: z.array(ActivityJson), ...errorResponses }
    },
    preHandler: requireRole('mentor', 'instructor')
  }, async (request) => (await services.activities.pending(actorOf(authOf(request)), request.query.studentUserId)).map(toActivityJson))

  api.post('/api/v1/verifications/:id', {
    schema: {
      ...apiCommon('Verifications'),
      summary: 'Approve a mentee\'s pending activity, or return it with a comment',
      description: 'Only the student\'s current mentor decides, and only on entries waiting for verification (409 otherwise).',
      params: IdParams,
      body: Verification,
      response: { 200: ActivityJson, ...errorResponses }
    },
    preHandler: requireRole('mentor')
  }, async (request) => {
    const { decision, comment } = request.body
    return toActivityJson(await services.activities.verify(actorOf(authOf(request)), request.params.id, decision, comment))
  })

  api.get('/api/v1/progress', {
    schema: {
      ...apiCommon('Progress'),
      summary: 'Verified activities by kind, field trips attended, goals set and reflections, per student you may see',
      querystring: z.object({ studentUserId: objectIdString.optional() }),
      response: { 200: z.array(z.object({ studentUserId: z.string(), progress: ProgressJson })), ...errorResponses }
    },
    preHandler: requireRole('student', 'mentor', 'instructor')
  }, async (request) => {
    const actor = actorOf(authOf(request))
    const narrowed = await services.access.narrow(actor, request.query.studentUserId)
    const ids = narrowed === 'all' ? (await services.progress.students(actor.courseId, poolIdOf(authOf(request)))).students.map((s) => s.userId) : [...narrowed]
    const counts = countProgress(ids, await services.progress.input(actor.courseId, narrowed))
    return [...counts].map(([studentUserId, progress]) => ({ studentUserId, progress }))
  })
}
