import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf, type Auth, type RequireRole } from '../../auth/require-session'
import { AppError } from '../../errors'
import { pageContext } from '../../http/page-context'
import { COMPLETION_DEFAULTS, CompletionChoice, completionContentItem } from './completion-item'
import { DEEP_LINK_PAGE, type DeepLinking } from './deep-linking'

export interface DeepLinkRoutesOptions { deepLinking: DeepLinking, requireRole: RequireRole, launchUrl: string }

const DeepLinkForm = z.object({
  session: z.string().min(1).max(4096),
  label: z.string().max(1000).default(''),
  scoreMaximum: z.string().max(100).default(''),
  action: z.enum(['add', 'cancel']).default('add')
})

const nothingPending = (): AppError => new AppError('NOT_FOUND', 404,
  'No request to add Mentorlink is waiting: add it again from your course (it may have expired or been answered already).')

/** The instructor's deep linking page: confirm the graded completion item, then return to the platform. */
export const deepLinkRoutes: FastifyPluginAsync<DeepLinkRoutesOptions> = async (app, opts) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const schema = { hide: true }
  const render = (auth: Auth, values: { label: string, scoreMaximum: string }, errors: Record<string, string> = {}) => ({
    // No navigation: this page lives in the platform's selection dialog and must end by returning to it.
    ...pageContext(auth, 'Add Mentorlink to your course', 'home'), nav: undefined, values, errors, action: DEEP_LINK_PAGE
  })

  api.get(DEEP_LINK_PAGE, { schema, preHandler: opts.requireRole('instructor') }, async (request, reply) => {
    const auth = authOf(request)
    if (!await opts.deepLinking.pending(auth.token)) throw nothingPending()
    return await reply.view('pages/deep-link', render(auth, { label: COMPLETION_DEFAULTS.label, scoreMaximum: String(COMPLETION_DEFAULTS.scoreMaximum) }))
  })

  api.post(DEEP_LINK_PAGE, { schema: { ...schema, body: DeepLinkForm }, preHandler: opts.requireRole('instructor') }, async (request, reply) => {
    const auth = authOf(request)
    const form = request.body
    const choice = CompletionChoice.safeParse(form)
    if (form.action === 'add' && !choice.success) {
      const errors = Object.fromEntries(choice.error.issues.map((i) => [String(i.path[0]), i.message]))
      return await reply.status(400).view('pages/deep-link', render(auth, form, errors))
    }
    const pending = await opts.deepLinking.take(auth.token)
    if (!pending) throw nothingPending()
    const contentItems = form.action === 'add' && choice.success ? [completionContentItem(opts.launchUrl, choice.data)] : []
    request.log.info({ items: contentItems.length }, 'deep linking answered')
    return await opts.deepLinking.respond(reply, pending, { contentItems })
  })
}
