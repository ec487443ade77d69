import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf, type Auth } from '../../auth/require-session'
import type { CompletionService } from '../../domain/completion/completion-service'
import { assessmentCounts, participationOf, type ProgrammeReport } from '../../domain/report/programme-report'
import type { FeedbackSummary } from '../../domain/feedback/feedback-service'
import { MIN_COHORT, POINT_LABELS } from '../../domain/competencies/vocabulary'
import { termSpanText } from '../../domain/term/term'
import { apiCommon, errorResponses } from '../../http/schemas'
import { pageContext } from '../../http/page-context'
import type { GrowthServices } from '../../services'
import type { GrowthRoutesOptions } from './api'
import { changeChart, percent } from './charts'
import { growthOf, loadCourse } from './growth-data'
import { CompetencyGrowthJson, PointJson } from './schemas'

export interface ReportRoutesOptions extends GrowthRoutesOptions {
  completion: Pick<CompletionService, 'rulesOf' | 'evaluateCourse'>
}

const ReportJson = z.object({
  course: z.object({ title: z.string(), term: z.object({ start: z.string(), end: z.string() }).nullable() }),
  generatedAt: z.string(),
  participation: z.object({
    students: z.number().int(), pairedStudents: z.number().int(), mentors: z.number().int(), activePairs: z.number().int().describe('Pairs in which an activity or attended field trip was recorded'),
    sessions: z.number().int(), coaching: z.number().int(), meetingsObserved: z.number().int(), fieldTripsAttended: z.number().int(), contacts: z.number().int(),
    goalsSet: z.number().int(), goalsAchieved: z.number().int(), reflections: z.number().int()
  }).describe('Course totals; activities count once verified'),
  assessments: z.array(z.object({ point: PointJson.shape.key, self: z.number().int(), mentor: z.number().int() })),
  growth: z.array(CompetencyGrowthJson).describe(`Measured by mentors' ratings; figures fewer than ${MIN_COHORT} students contribute to are withheld`),
  completion: z.object({ students: z.number().int(), complete: z.number().int(), rulesSaved: z.boolean() }),
  feedback: z.array(z.object({
    side: z.enum(['student', 'mentor']), responses: z.number().int(), students: z.number().int(),
    mean: z.number().nullable().describe(`"How useful was this session?" (1–5); null while fewer than ${MIN_COHORT} students' sessions were rated`)
  }))
})

async function reportOf (growth: GrowthServices, completion: ReportRoutesOptions['completion'], auth: Auth): Promise<ProgrammeReport & { feedback: FeedbackSummary[] }> {
  const course = await loadCourse(growth, auth)
  const courseId = course.actor.courseId
  const [table, { rules, saved }] = await Promise.all([growth.table(courseId), completion.rulesOf(courseId)])
  const [evaluations, feedback] = await Promise.all([completion.evaluateCourse(courseId, rules), growth.feedback.summary(courseId)])
  const participation = participationOf(table)
  return {
    term: course.actor.term,
    participation,
    assessments: assessmentCounts(course.assessments, new Set(course.activeStudents.map((s) => s.userId))),
    growth: growthOf(course.framework, course.assessments, 'mentor'),
    completion: { students: evaluations.length, complete: evaluations.filter((e) => e.evaluation.complete).length, rulesSaved: saved },
    feedback
  }
}

/** The programme report: one printable page for the instructor and their department, and the same as JSON. */
export const reportRoutes: FastifyPluginAsync<ReportRoutesOptions> = async (app, { requireRole, growth, completion }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const instructor = requireRole('instructor')

  api.get('/api/v1/report', {
    schema: {
      ...apiCommon('Competencies and growth'),
      summary: 'The programme report: participation, competency growth, assessments and completion, as course totals',
      response: { 200: ReportJson, ...errorResponses }
    },
    preHandler: instructor
  }, async (request) => {
    const auth = authOf(request)
    const report = await reportOf(growth, completion, auth)
    return {
      course: { title: auth.course.title ?? '', term: report.term === null ? null : { start: report.term.start, end: report.term.end } },
      generatedAt: new Date().toISOString(),
      participation: report.participation,
      assessments: report.assessments,
      growth: report.growth as z.infer<typeof CompetencyGrowthJson>[],
      completion: report.completion,
      feedback: report.feedback
    }
  })

  api.get('/instructor/report', { schema: { hide: true }, preHandler: instructor }, async (request, reply) => {
    const auth = authOf(request)
    const report = await reportOf(growth, completion, auth)
    const p = report.participation
    return await reply.view('pages/report', {
      ...pageContext(auth, 'Programme report', 'growth'),
      courseTitle: auth.course.title || auth.course.label || 'This course',
      termText: report.term === null ? null : termSpanText(report.term),
      generatedOn: new Date().toISOString().slice(0, 10),
      minimum: MIN_COHORT,
      facts: [
        { label: 'Students', value: p.students }, { label: 'Students paired with a mentor', value: p.pairedStudents }, { label: 'Mentors with mentees', value: p.mentors },
        { label: 'Pairs with recorded activity', value: p.activePairs }, { label: 'Verified 1:1 sessions', value: p.sessions }, { label: 'Verified coaching sessions', value: p.coaching },
        { label: 'High-level meetings observed', value: p.meetingsObserved }, { label: 'Field trips attended', value: p.fieldTripsAttended }, { label: 'Contacts made', value: p.contacts },
        { label: 'Goals set', value: p.goalsSet }, { label: 'Goals achieved', value: p.goalsAchieved }, { label: 'Reflections', value: p.reflections }
      ],
      assessments: report.assessments.map((a) => ({ ...a, label: POINT_LABELS[a.point] })),
      change: changeChart(report.growth),
      feedback: report.feedback.map((f) => ({ ...f, who: f.side === 'student' ? 'Students' : 'Mentors', mean: f.mean === null ? null : f.mean.toFixed(1) })),
      completion: { ...report.completion, share: report.completion.students === 0 ? '–' : percent(report.completion.complete / report.completion.students) }
    })
  })
}
