import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { authOf, type Auth } from '../../auth/require-session'
import type { CompletionRules } from '../../domain/completion/rules'
import { scoreMaximumOf } from '../../domain/completion/rules'
import { noticeQuery, noticeText, redirectWithNotice } from '../../http/forms'
import { pageContext } from '../../http/page-context'
import type { CompletionRoutesOptions } from './api'
import { progressView } from './progress-view'
import { RulesForm, rulesFormView, rulesFromForm, type FieldErrors } from './rules-form'

const NOTICES = {
  saved: 'Rules saved. Every student\'s completion was recomputed; changed scores are on their way to the gradebook.',
  'saved-later': 'Rules saved. The gradebook could not be updated just now; Mentorlink tries again shortly (see Grades).'
}
const PageQuery = noticeQuery(NOTICES)

/** The instructor's Completion page: the rules editor and what every student would score under the rules shown. */
export const completionPageRoutes: FastifyPluginAsync<CompletionRoutesOptions> = async (app, { requireRole, completion, publisher }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const instructor = requireRole('instructor')

  const render = async (reply: FastifyReply, auth: Auth, rules: CompletionRules, state: { saved: boolean, draft?: RulesForm, errors?: FieldErrors, notice?: string }) => {
    const hasErrors = Object.keys(state.errors ?? {}).length > 0
    const rows = hasErrors ? [] : await completion.evaluateCourse(String(auth.course._id), rules)
    return await reply.status(hasErrors ? 400 : 200).view('pages/completion', {
      ...pageContext(auth, 'Completion', 'completion'),
      notice: state.notice,
      saved: state.saved,
      draft: state.draft !== undefined && !hasErrors,
      form: rulesFormView(rules, state.draft, state.errors),
      scoreMaximum: hasErrors ? null : scoreMaximumOf(rules),
      preview: rows.map((r) => ({ id: String(r.learner.userId), name: r.learner.name, ...progressView(r.evaluation) })),
      completeCount: rows.filter((r) => r.evaluation.complete).length
    })
  }

  api.get('/instructor/completion', { schema: { hide: true, querystring: PageQuery }, preHandler: instructor }, async (request, reply) => {
    const auth = authOf(request)
    const { rules, saved } = await completion.rulesOf(String(auth.course._id))
    return await render(reply, auth, rules, { saved, notice: noticeText(NOTICES, request.query) })
  })

  api.post('/instructor/completion', { schema: { hide: true, body: RulesForm }, preHandler: instructor }, async (request, reply) => {
    const auth = authOf(request)
    const current = await completion.rulesOf(String(auth.course._id))
    const parsed = rulesFromForm(request.body)
    if ('errors' in parsed) return await render(reply, auth, current.rules, { saved: current.saved, draft: request.body, errors: parsed.errors })
    if (request.body.action === 'preview') return await render(reply, auth, parsed.rules, { saved: current.saved, draft: request.body })
    await completion.saveRules(String(auth.course._id), parsed.rules, String(auth.user._id))
    const result = await publisher.recompute(String(auth.course._id))
    const notice = result.status === 'failed' ? 'saved-later' : 'saved'
    return await redirectWithNotice(reply, auth, '/instructor/completion', notice)
  })
}
