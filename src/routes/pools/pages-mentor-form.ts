import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf, type Auth } from '../../auth/require-session'
import { fieldErrorsOf, PoolFieldError, type FieldError } from '../../domain/pools/field-errors'
import { DEFAULT_CAPACITY, MentorForm } from '../../domain/pools/mentor-fields'
import type { MentorView } from '../../domain/pools/pool-service'
import { FormBody, redirectWithNotice, submit, textValues } from '../../http/forms'
import { IdParams } from '../../http/schemas'
import { pageContext } from '../../http/page-context'
import type { PoolApiOptions } from './api'
import { poolCourseOf } from './pool-course'
import { formValuesOf, mentorFormView } from './mentor-form-view'
import { invitationLabel } from './mentor-view'
import { poolNotice, PageQuery } from './notices'

const ActiveForm = z.object({ active: z.enum(['true', 'false'], { error: 'must be true or false' }) })

type Show = (values: Record<string, string>, errors: FieldError[], status: number) => Promise<FastifyReply>
interface FormPage { auth: Auth, values: Record<string, string>, errors: FieldError[], status?: number, notice?: string }

/** Adding and editing a mentor in pages, and (de)activating one. */
export const mentorFormPageRoutes: FastifyPluginAsync<PoolApiOptions> = async (app, { requireRole, pools: { poolService, invitations } }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const preHandler = requireRole('instructor')
  const schema = { hide: true }

  const render = async (reply: FastifyReply, page: FormPage, heading: string, extra: Record<string, unknown>): Promise<FastifyReply> =>
    await reply.code(page.status ?? 200).view('pages/pool-mentor-form', {
      ...pageContext(page.auth, page.errors.length > 0 ? `Error: ${heading}` : heading, 'pool'),
      heading,
      notice: page.notice,
      ...mentorFormView(page.values, page.errors),
      ...extra
    })
  const renderNew = async (reply: FastifyReply, page: FormPage): Promise<FastifyReply> =>
    await render(reply, page, 'Add a mentor', { action: '/instructor/pool/mentors', submitLabel: 'Add mentor' })
  const renderEdit = async (reply: FastifyReply, page: FormPage, m: MentorView): Promise<FastifyReply> =>
    await render(reply, page, `Edit ${m.name}`, {
      action: `/instructor/pool/mentors/${m.id}`,
      submitLabel: 'Save changes',
      mentor: { id: m.id, name: m.name, active: m.active, email: m.email },
      emailsInvitations: invitations.emails,
      lmsLinked: m.source === 'lms',
      invitation: m.source === 'external' ? { label: invitationLabel(m), pending: m.invitation.state === 'pending' } : undefined
    })
  /** Saves a valid form; otherwise shows it again with what was typed and each field's error next to it. */
  const save = async (body: FormBody, show: Show, run: (input: z.output<typeof MentorForm>) => Promise<unknown>): Promise<'saved' | FastifyReply> => {
    const values = textValues(body)
    const refused = await submit(MentorForm, values, run)
    return refused ? await show(values, refused.errors, refused.status) : 'saved'
  }

  api.get('/instructor/pool/mentors/new', { schema: { ...schema, querystring: PageQuery }, preHandler }, async (request, reply) =>
    await renderNew(reply, { auth: authOf(request), values: { capacity: String(DEFAULT_CAPACITY) }, errors: [] }))

  api.post('/instructor/pool/mentors', { schema: { ...schema, body: FormBody }, preHandler }, async (request, reply) => {
    const auth = authOf(request)
    const outcome = await save(request.body, async (values, errors, status) => await renderNew(reply, { auth, values, errors, status }),
      async (input) => await poolService.add(poolCourseOf(auth), { ...input, active: true }))
    return outcome === 'saved' ? await redirectWithNotice(reply, auth, '/instructor/pool', 'added') : outcome
  })

  api.get('/instructor/pool/mentors/:id/edit', { schema: { ...schema, params: IdParams, querystring: PageQuery }, preHandler }, async (request, reply) => {
    const auth = authOf(request)
    const mentor = await poolService.get(poolCourseOf(auth), request.params.id)
    return await renderEdit(reply, { auth, values: formValuesOf(mentor), errors: [], notice: poolNotice(request.query) }, mentor)
  })

  api.post('/instructor/pool/mentors/:id', { schema: { ...schema, params: IdParams, body: FormBody }, preHandler }, async (request, reply) => {
    const auth = authOf(request)
    const mentor = await poolService.get(poolCourseOf(auth), request.params.id)
    const outcome = await save(request.body, async (values, errors, status) => await renderEdit(reply, { auth, values, errors, status }, mentor),
      async (input) => await poolService.update(poolCourseOf(auth), request.params.id, input))
    return outcome === 'saved' ? await redirectWithNotice(reply, auth, '/instructor/pool', 'updated') : outcome
  })

  api.post('/instructor/pool/mentors/:id/active', { schema: { ...schema, params: IdParams, body: FormBody }, preHandler }, async (request, reply) => {
    const auth = authOf(request)
    const parsed = ActiveForm.safeParse(request.body)
    if (!parsed.success) throw new PoolFieldError(400, fieldErrorsOf(parsed.error))
    const active = parsed.data.active === 'true'
    await poolService.setActive(poolCourseOf(auth), request.params.id, active)
    return await redirectWithNotice(reply, auth, '/instructor/pool', active ? 'reactivated' : 'deactivated')
  })
}
