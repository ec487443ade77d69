import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { authOf } from '../../auth/require-session'
import { ratingsCsv } from '../../domain/competencies/ratings-csv'
import { MIN_COHORT, POINT_LABELS, SIDE_LABELS } from '../../domain/competencies/vocabulary'
import { pageContext } from '../../http/page-context'
import type { GrowthRoutesOptions } from './api'
import { agreementChart, changeChart, distributionCharts } from './charts'
import { followUpsOf, growthOf, loadCourse } from './growth-data'
import { GrowthQuery } from './schemas'

/** The instructor's Growth page (what changed, per competency, and who is late), and every rating as CSV. */
export const growthPages: FastifyPluginAsync<GrowthRoutesOptions> = async (app, { requireRole, growth }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const instructor = requireRole('instructor')

  api.get('/instructor/growth', { schema: { hide: true, querystring: GrowthQuery }, preHandler: instructor }, async (request, reply) => {
    const auth = authOf(request)
    const side = request.query.side
    const course = await loadCourse(growth, auth)
    const figures = growthOf(course.framework, course.assessments, side)
    const submitted = (point: 'start' | 'mid' | 'end', by: 'self' | 'mentor') => course.assessments.filter((a) => a.point === point && a.side === by).length
    const followUps = followUpsOf(growth, course).map((f) => ({
      ...f, name: course.names.get(f.studentUserId) ?? 'Unnamed', pointLabel: POINT_LABELS[f.point], sideLabel: SIDE_LABELS[f.side],
      href: `/instructor/students/${f.studentUserId}/growth`, submittedOn: f.submittedAt?.toISOString().slice(0, 10) ?? null
    }))
    return await reply.view('pages/growth', {
      ...pageContext(auth, 'Growth', 'growth'),
      side,
      bySelf: side === 'self',
      sideText: side === 'self' ? 'students\' own ratings' : 'mentors\' ratings',
      otherHref: side === 'self' ? '/instructor/growth' : '/instructor/growth?side=self',
      otherText: side === 'self' ? 'Measure by mentors\' ratings' : 'Measure by students\' own ratings',
      minimum: MIN_COHORT,
      students: course.activeStudents.length,
      counts: (['start', 'mid', 'end'] as const).map((p) => ({ label: POINT_LABELS[p], self: submitted(p, 'self'), mentor: submitted(p, 'mentor') })),
      change: changeChart(figures),
      distribution: distributionCharts(figures),
      agreement: agreementChart(figures),
      followUps,
      points: growth.assessments.pointsOf(course.actor.term)
    })
  })

  api.get('/instructor/growth/ratings.csv', { schema: { hide: true }, preHandler: instructor }, async (request, reply) => {
    const auth = authOf(request)
    const course = await loadCourse(growth, auth)
    const name = (auth.course.label || auth.course.title || 'course').replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()
    return await reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}-ratings.csv"`)
      .send(ratingsCsv(course.framework.competencies, course.assessments, course.names))
  })
}
