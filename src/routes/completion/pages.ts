import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf, type Auth } from '../../auth/require-session'
import type { CompletionRules } from '../../domain/completion/rules'
import { scoreMaximumOf } from '../../domain/completion/rules'
import { noticeQuery, noticeText, redirectWithNotice } from '../../http/forms'
import { pageContext } from '../../http/page-context'
import { pageOf, PageNumber, pagerOf } from '../../http/pagination'
import { emptyProgress } from '../../domain/activities/progress-counts'
import { completionCountsOf } from '../../domain/completion/activities-progress'
import { evaluate } from '../../domain/completion/evaluate'
import { participatingStudents } from '../../domain/progress/course-table'
import type { CompletionRoutesOptions } from './api'
import { progressView } from './progress-view'
import { RulesForm, rulesFormView, rulesFromForm, type FieldErrors } from './rules-form'

const NOTICES = {
  saved: 'Rules saved. Every student\'s completion was recomputed; changed scores are on their way to the gradebook.',
  'saved-later': 'Rules saved. The gradebook could not be updated just now; Mentorlink tries again shortly (see Grades).'
}
const PageQuery = noticeQuery(NOTICES).extend({ page: PageNumber })

/** The instructor's Completion page: the rules editor and what every student would score under the rules shown. */
export const completionPageRoutes: FastifyPluginAsync<CompletionRoutesOptions> = async (app, { requireRole, completion, publisher, table, selfAssessments }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const instructor = requireRole('instructor')

  /** Every participating student's standing under `rules`, by name, from the course table. */
  const standings = async (auth: Auth, rules: CompletionRules) => {
    const [rows, assessed] = await Promise.all([table(String(auth.course._id)), selfAssessments(String(auth.course._id))])
    return participatingStudents(rows)
      .map(([id, row]) => ({ id, name: row.name, evaluation: evaluate(rules, { ...completionCountsOf(row.line?.progress ?? emptyProgress()), assessments: assessed.get(id) ?? 0 }) }))
      .sort((a, b) => a.name.localeCompare(b.name))
  }

  const render = async (reply: FastifyReply, auth: Auth, rules: CompletionRules, state: { saved: boolean, draft?: RulesForm, errors?: FieldErrors, notice?: string, page?: number }) => {
    const hasErrors = Object.keys(state.errors ?? {}).length > 0
    const rows = hasErrors ? [] : await standings(auth, rules)
    const page = pagerOf(pageOf(rows, state.page), '/instructor/completion', {}, 'preview-title')
    return await reply.status(hasErrors ? 400 : 200).view('pages/completion', {
      ...pageContext(auth, 'Completion', 'completion'),
      notice: state.notice,
      saved: state.saved,
      draft: state.draft !== undefined && !hasErrors,
      form: rulesFormView(rules, state.draft, state.errors),
      scoreMaximum: hasErrors ? null : scoreMaximumOf(rules),
      pager: page,
      students: rows.length,
      preview: page.rows.map((r) => ({ id: r.id, name: r.name, ...progressView(r.evaluation) })),
      completeCount: rows.filter((r) => r.evaluation.complete).length
    })
  }

  api.get('/instructor/completion', { schema: { hide: true, querystring: PageQuery }, preHandler: instructor }, async (request, reply) => {
    const auth = authOf(request)
    const { rules, saved } = await completion.rulesOf(String(auth.course._id))
    return await render(reply, auth, rules, { saved, notice: noticeText(NOTICES, request.query), page: request.query.page })
  })

  // The preview's pager submits the form again with `?page=`: unsaved rules are not in the address.
  api.post('/instructor/completion', { schema: { hide: true, body: RulesForm, querystring: z.object({ page: PageNumber }) }, preHandler: instructor }, async (request, reply) => {
    const auth = authOf(request)
    const current = await completion.rulesOf(String(auth.course._id))
    const parsed = rulesFromForm(request.body)
    if ('errors' in parsed) return await render(reply, auth, current.rules, { saved: current.saved, draft: request.body, errors: parsed.errors })
    if (request.body.action === 'preview') return await render(reply, auth, parsed.rules, { saved: current.saved, draft: request.body, page: request.query.page })
    await completion.saveRules(String(auth.course._id), parsed.rules, String(auth.user._id))
    const result = await publisher.recompute(String(auth.course._id))
    const notice = result.status === 'failed' ? 'saved-later' : 'saved'
    return await redirectWithNotice(reply, auth, '/instructor/completion', notice)
  })
}
