import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf, type Auth, type RequireRole } from '../../auth/require-session'
import type { CourseNoticeSettings } from '../../domain/notifications/ports'
import { QUIET_DAYS_RANGE, type QuietPair } from '../../domain/notifications/quiet-pairs'
import { FormBody, noticeQuery, noticeText, redirectWithNotice } from '../../http/forms'
import { pageContext } from '../../http/page-context'

export interface AtRiskPageOptions {
  requireRole: RequireRole
  atRisk: (courseId: string) => Promise<{ days: number, pairs: Array<QuietPair & { mentorName: string }> }>
  courseSettings: Pick<CourseNoticeSettings, 'setQuietDays' | 'kindsOff'>
  /** Answers of 2 or less (a session's usefulness, a relationship check-in), newest first, with why in words. */
  lowFeedback: (courseId: string) => Promise<Array<{ studentUserId: string, studentName: string, date: Date, reason: string, comment: string }>>
}

const PATH = '/instructor/at-risk'
const NOTICES = { saved: (n: number) => `Saved: a pair counts as quiet after ${n} days without activity.` }
const PageQuery = noticeQuery(NOTICES)
const DaysForm = z.object({
  days: z.coerce.number({ error: 'Days without activity: enter a number of days.' })
    .int('Days without activity: enter a whole number of days.')
    .min(QUIET_DAYS_RANGE.min, `Days without activity: enter at least ${QUIET_DAYS_RANGE.min}.`)
    .max(QUIET_DAYS_RANGE.max, `Days without activity: enter at most ${QUIET_DAYS_RANGE.max}.`)
})

/**
 * The instructor's list of pairs at risk: nothing recorded for the course's quiet days (default 21). Both sides of
 * such a pair are nudged once per quiet spell; the instructor sets how many days make a pair quiet.
 */
export const atRiskPageRoutes: FastifyPluginAsync<AtRiskPageOptions> = async (app, { requireRole, atRisk, courseSettings, lowFeedback }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const preHandler = requireRole('instructor')

  const render = async (reply: FastifyReply, auth: Auth, options: { notice?: string, error?: string, value?: string } = {}) => {
    const [{ days, pairs }, off, low] = await Promise.all([atRisk(String(auth.course._id)), courseSettings.kindsOff(String(auth.course._id)), lowFeedback(String(auth.course._id))])
    return await reply.code(options.error ? 400 : 200).view('pages/at-risk', {
      ...pageContext(auth, options.error ? 'Error: Pairs at risk' : 'Pairs at risk', 'activities'),
      ...options, days, value: options.value ?? String(days), range: QUIET_DAYS_RANGE, nudgesOff: off.has('quiet'),
      pairs: pairs.map((p) => ({ ...p, href: `/instructor/students/${p.studentUserId}` })),
      lowRatings: low.map((f) => ({ ...f, href: `/instructor/students/${f.studentUserId}`, date: f.date.toISOString().slice(0, 10) }))
    })
  }

  api.get(PATH, { schema: { hide: true, querystring: PageQuery }, preHandler }, async (request, reply) =>
    await render(reply, authOf(request), { notice: noticeText(NOTICES, request.query) }))

  api.post(PATH, { schema: { hide: true, body: FormBody }, preHandler }, async (request, reply) => {
    const auth = authOf(request)
    const parsed = DaysForm.safeParse(request.body)
    if (!parsed.success) return await render(reply, auth, { error: parsed.error.issues[0]?.message, value: String(request.body.days ?? '') })
    await courseSettings.setQuietDays(String(auth.course._id), parsed.data.days)
    return await redirectWithNotice(reply, auth, PATH, 'saved', { n: String(parsed.data.days) })
  })
}
