import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf, type RequireRole } from '../../auth/require-session'
import { AssessmentInput } from '../../domain/competencies/assessment-fields'
import { FrameworkInput } from '../../domain/competencies/framework-fields'
import { MIN_COHORT } from '../../domain/competencies/vocabulary'
import { Errors } from '../../errors'
import { apiCommon, errorResponses } from '../../http/schemas'
import type { GrowthServices } from '../../services'
import { actorOf } from '../activities/actor'
import { followUpsOf, growthOf, loadCourse } from './growth-data'
import {
  AssessmentJson, AssessmentsQuery, CopyBody, CourseChoiceJson, FollowUpJson, FrameworkJson, GrowthJson, GrowthQuery, PointJson, PointViewJson,
  toAssessmentJson, toCompetencyGrowthJson, toFollowUpJson, toFrameworkJson, toPointViewJson
} from './schemas'

export interface GrowthRoutesOptions { requireRole: RequireRole, growth: GrowthServices }

const common = apiCommon('Competencies and growth')

/** The competency framework, assessments at the term's points, and the course's growth. */
export const growthApiRoutes: FastifyPluginAsync<GrowthRoutesOptions> = async (app, { requireRole, growth }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const everyone = requireRole('student', 'mentor', 'instructor')
  const instructor = requireRole('instructor')
  const { frameworks, assessments } = growth

  api.get('/api/v1/competencies', {
    schema: { ...common, summary: 'The course\'s competencies and their 1–5 rubrics (the defaults until an instructor changes them)', response: { 200: FrameworkJson, ...errorResponses } },
    preHandler: everyone
  }, async (request) => toFrameworkJson(await frameworks.current(String(authOf(request).course._id))))

  api.put('/api/v1/competencies', {
    schema: {
      ...common,
      summary: 'Replace the course\'s competencies',
      description: 'Allowed until the first assessment is submitted (409 after). `revision` is the one you read: if someone saved since, 409 and nothing changes. New competencies may leave `key` out.',
      body: FrameworkInput,
      response: { 200: FrameworkJson, ...errorResponses }
    },
    preHandler: instructor
  }, async (request) => toFrameworkJson(await frameworks.replace(actorOf(authOf(request)), request.body)))

  api.get('/api/v1/competencies/sources', {
    schema: { ...common, summary: 'Your other courses on this LMS, whose competencies you may copy', response: { 200: z.array(CourseChoiceJson), ...errorResponses } },
    preHandler: instructor
  }, async (request) => await frameworks.copySources(actorOf(authOf(request))))

  api.post('/api/v1/competencies/copy', {
    schema: { ...common, summary: 'Replace the course\'s competencies with a copy of another course\'s you teach', body: CopyBody, response: { 200: FrameworkJson, ...errorResponses } },
    preHandler: instructor
  }, async (request) => toFrameworkJson(await frameworks.copyFrom(actorOf(authOf(request)), request.body.revision, request.body.sourceCourseId)))

  api.get('/api/v1/assessments/points', {
    schema: { ...common, summary: 'The term\'s assessment points (start, mid-term, end): when each opens and is due', response: { 200: z.array(PointJson), ...errorResponses } },
    preHandler: everyone
  }, async (request) => assessments.pointsOf(actorOf(authOf(request)).term))

  api.post('/api/v1/assessments', {
    schema: {
      ...common,
      summary: 'Submit an assessment: a student rates themselves, a mentor rates a mentee (`studentUserId`)',
      description: 'One rating (1–5, optional comment) per competency. Final once submitted (409 for a second one). The first assessment of a course locks its competencies.',
      body: AssessmentInput,
      response: { 201: AssessmentJson, ...errorResponses }
    },
    preHandler: requireRole('student', 'mentor')
  }, async (request, reply) => await reply.status(201).send(toAssessmentJson(await assessments.submit(actorOf(authOf(request)), request.body))))

  api.get('/api/v1/assessments', {
    schema: {
      ...common,
      summary: 'A student\'s assessments at each point, as far as you may see them',
      description: 'Students see their own; a student sees the mentor\'s only once their own is in, and a mentor the self-assessment only once theirs is in. Mentors and instructors name the student.',
      querystring: AssessmentsQuery,
      response: { 200: z.array(PointViewJson), ...errorResponses }
    },
    preHandler: everyone
  }, async (request) => {
    const actor = actorOf(authOf(request))
    const studentUserId = request.query.studentUserId ?? (actor.role === 'student' ? actor.userId : undefined)
    if (studentUserId === undefined) throw Errors.badRequest('studentUserId: is required: name the student')
    return (await assessments.view(actor, studentUserId)).map(toPointViewJson)
  })

  api.get('/api/v1/assessments/follow-ups', {
    schema: { ...common, summary: 'Assessments missing after their due day, and those submitted late', response: { 200: z.array(FollowUpJson), ...errorResponses } },
    preHandler: instructor
  }, async (request) => {
    const course = await loadCourse(growth, authOf(request))
    return followUpsOf(growth, course).map((f) => toFollowUpJson(f, course.names.get(f.studentUserId) ?? 'Unnamed'))
  })

  api.get('/api/v1/growth', {
    schema: {
      ...common,
      summary: 'The course\'s growth per competency: change from start to end, agreement of self and mentor',
      description: `Figures that fewer than ${MIN_COHORT} students contribute to are withheld (\`hidden: true\`).`,
      querystring: GrowthQuery,
      response: { 200: GrowthJson, ...errorResponses }
    },
    preHandler: instructor
  }, async (request) => {
    const course = await loadCourse(growth, authOf(request))
    return { side: request.query.side, minimumStudents: MIN_COHORT, competencies: growthOf(course.framework, course.assessments, request.query.side).map(toCompetencyGrowthJson) }
  })
}
