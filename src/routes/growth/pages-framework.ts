import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf, type Auth } from '../../auth/require-session'
import type { FieldError } from '../../domain/activities/field-error'
import { CompetencyInput } from '../../domain/competencies/framework-fields'
import { COMPETENCY_LIMITS, LEVELS, type Competency } from '../../domain/competencies/vocabulary'
import { FormBody, noticeQuery, noticeText, redirectWithNotice, submit } from '../../http/forms'
import { pageContext } from '../../http/page-context'
import { objectIdString } from '../../http/schemas'
import { actorOf } from '../activities/actor'
import type { FieldSpec, FormValues } from '../activities/form-fields'
import { renderForm } from '../activities/form-page'
import type { GrowthRoutesOptions } from './api'

const PATH = '/instructor/competencies'
const NOTICES = { added: 'Competency added.', saved: 'Competency saved.', removed: 'Competency removed.', copied: 'Copied: this course now has the competencies of the course you chose.' }
const PageQuery = noticeQuery(NOTICES)
const KeyParams = z.object({ key: z.string().regex(/^[a-z0-9-]{1,60}$/) })
const Revision = z.coerce.number({ error: 'The form is out of date: reload the page' }).int().min(0)

const SPECS: FieldSpec[] = [
  { name: 'name', label: 'Name', type: 'text', required: true, maxLength: COMPETENCY_LIMITS.name },
  { name: 'description', label: 'Description', type: 'textarea', required: true, maxLength: COMPETENCY_LIMITS.description, hint: 'A sentence on what it covers, shown to students and mentors when they rate.' },
  ...LEVELS.map((level): FieldSpec => ({
    name: `level${level}`, label: `Level ${level}`, type: 'text', required: true, maxLength: COMPETENCY_LIMITS.level,
    hint: level === 1 ? 'What someone at the lowest level does, in words.' : level === LEVELS.length ? 'What someone at the highest level does.' : undefined
  }))
]

const valuesOfCompetency = (c: Competency): FormValues => ({ name: c.name, description: c.description, ...Object.fromEntries(c.levels.map((words, i) => [`level${i + 1}`, words])) })
const text = (body: FormBody, name: string): string => { const v = body[name]; return typeof v === 'string' ? v : '' }
const inputOfForm = (body: FormBody) => ({ name: text(body, 'name'), description: text(body, 'description'), levels: LEVELS.map((l) => text(body, `level${l}`)) })
/** The rubric's problems by the form's fields: `levels.2` is the "Level 3" field. */
const formErrors = (errors: readonly FieldError[]): FieldError[] => errors.map((e) => {
  if (e.field !== 'levels') return e
  const level = /^level (\d+): (.*)$/.exec(e.message)
  return level ? { field: `level${level[1] as string}`, message: level[2] as string } : { field: 'level1', message: e.message }
})

/** The instructor's competency framework: read it, and until the first assessment edit, add, remove or copy it. */
export const frameworkPages: FastifyPluginAsync<GrowthRoutesOptions> = async (app, { requireRole, growth }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const instructor = requireRole('instructor')
  const { frameworks, assessments } = growth

  const list = async (reply: FastifyReply, auth: Auth, notice?: string, error?: string) => {
    const actor = actorOf(auth)
    const [framework, sources] = await Promise.all([frameworks.current(actor.courseId), frameworks.copySources(actor)])
    return await reply.code(error ? 409 : 200).view('pages/competencies', {
      ...pageContext(auth, error ? 'Error: Competencies' : 'Competencies', 'competencies'),
      notice, error, framework,
      lockedOn: framework.lockedAt?.toISOString().slice(0, 10) ?? null,
      competencies: framework.competencies.map((c) => ({ ...c, levels: c.levels.map((words, i) => ({ level: i + 1, words })), editHref: `${PATH}/${c.key}/edit`, removeAction: `${PATH}/${c.key}/remove` })),
      canAdd: framework.competencies.length < COMPETENCY_LIMITS.competencies,
      sources,
      points: assessments.pointsOf(actor.term)
    })
  }

  const form = async (reply: FastifyReply, auth: Auth, key: string | null, revision: number, values: FormValues, errors: FieldError[] = [], status = 200) =>
    await renderForm(reply, auth, {
      heading: key === null ? 'Add a competency' : `Edit ${values.name === '' ? 'the competency' : String(values.name)}`,
      intro: 'Students and mentors rate each competency from 1 to 5: say in words what each level looks like, so that a rating means the same to everyone.',
      action: key === null ? PATH : `${PATH}/${key}`,
      submitLabel: key === null ? 'Add the competency' : 'Save the competency',
      cancelHref: key === null ? PATH : `${PATH}#competency-${key}`,
      specs: SPECS,
      values,
      errors: formErrors(errors),
      hidden: { revision: String(revision) },
      nav: 'competencies'
    }, status)

  api.get(PATH, { schema: { hide: true, querystring: PageQuery }, preHandler: instructor }, async (request, reply) =>
    await list(reply, authOf(request), noticeText(NOTICES, request.query)))

  api.get(`${PATH}/new`, { schema: { hide: true }, preHandler: instructor }, async (request, reply) => {
    const auth = authOf(request)
    const framework = await frameworks.current(String(auth.course._id))
    if (framework.locked) return await list(reply, auth, undefined, 'The competencies cannot be changed any more: the first assessment has been submitted')
    return await form(reply, auth, null, framework.revision, {})
  })

  api.get(`${PATH}/:key/edit`, { schema: { hide: true, params: KeyParams }, preHandler: instructor }, async (request, reply) => {
    const auth = authOf(request)
    const framework = await frameworks.current(String(auth.course._id))
    const competency = framework.competencies.find((c) => c.key === request.params.key)
    if (competency === undefined) return await reply.callNotFound()
    if (framework.locked) return await list(reply, auth, undefined, 'The competencies cannot be changed any more: the first assessment has been submitted')
    return await form(reply, auth, competency.key, framework.revision, valuesOfCompetency(competency))
  })

  const change = (run: (auth: Auth, revision: number, input: CompetencyInput, key?: string) => Promise<unknown>, notice: keyof typeof NOTICES) =>
    async (auth: Auth, body: FormBody, reply: FastifyReply, key?: string) => {
      const revision = Revision.safeParse(body.revision)
      if (!revision.success) return await list(reply, auth, undefined, 'The form is out of date: reload the page')
      const refused = await submit(CompetencyInput, inputOfForm(body), async (input) => await run(auth, revision.data, input, key))
      if (refused) {
        const values: FormValues = Object.fromEntries(SPECS.map((s) => [s.name, text(body, s.name)]))
        return await form(reply, auth, key ?? null, revision.data, values, refused.errors, refused.status)
      }
      // Back to the card just edited, not the top of a long list.
      return await redirectWithNotice(reply, auth, key === undefined ? PATH : `${PATH}#competency-${key}`, notice)
    }
  const add = change(async (auth, revision, input) => await frameworks.add(actorOf(auth), revision, input), 'added')
  const update = change(async (auth, revision, input, key) => await frameworks.update(actorOf(auth), revision, key ?? '', input), 'saved')

  api.post(PATH, { schema: { hide: true, body: FormBody }, preHandler: instructor }, async (request, reply) => await add(authOf(request), request.body, reply))
  api.post(`${PATH}/:key`, { schema: { hide: true, params: KeyParams, body: FormBody }, preHandler: instructor }, async (request, reply) =>
    await update(authOf(request), request.body, reply, request.params.key))

  /** A removal or a copy: either done, or the list again with why not. */
  const listAfter = async (reply: FastifyReply, auth: Auth, run: () => Promise<unknown>, notice: keyof typeof NOTICES) => {
    const refused = await submit(z.unknown(), null, run)
    if (refused) return await list(reply, auth, undefined, refused.errors.map((e) => e.message).join(' '))
    return await redirectWithNotice(reply, auth, PATH, notice)
  }

  api.post(`${PATH}/:key/remove`, { schema: { hide: true, params: KeyParams, body: FormBody }, preHandler: instructor }, async (request, reply) => {
    const auth = authOf(request)
    const revision = Revision.safeParse(request.body.revision)
    return await listAfter(reply, auth, async () => await frameworks.remove(actorOf(auth), revision.success ? revision.data : -1, request.params.key), 'removed')
  })

  api.post(`${PATH}/copy`, { schema: { hide: true, body: FormBody }, preHandler: instructor }, async (request, reply) => {
    const auth = authOf(request)
    const revision = Revision.safeParse(request.body.revision)
    const source = objectIdString.safeParse(request.body.sourceCourseId)
    if (!source.success) return await list(reply, auth, undefined, 'Choose the course to copy from.')
    return await listAfter(reply, auth, async () => await frameworks.copyFrom(actorOf(auth), revision.success ? revision.data : -1, source.data), 'copied')
  })
}
