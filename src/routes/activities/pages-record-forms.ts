import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf, type Auth, type RequireRole } from '../../auth/require-session'
import type { FieldError } from '../../domain/activities/field-error'
import { ACTIVITY_KIND_LABELS } from '../../domain/activities/vocabulary'
import { dayOf, today } from '../../domain/term/calendar-day'
import { defaultDayIn } from '../../domain/term/term'
import { Errors } from '../../errors'
import { FormBody, redirectWithNotice } from '../../http/forms'
import { objectIdString } from '../../http/schemas'
import { inputOf, valuesOf, type FormValues } from './form-fields'
import { renderForm, type FormPage } from './form-page'
import { FORM_SPECS } from './form-specs'
import { isActivity, RECORD_TYPES, recordForms, type RecordType } from './record-forms'
import type { ActivityServices } from '../../services'
import { actorOf } from './actor'

export interface RecordFormOptions { requireRole: RequireRole, services: ActivityServices }

const TypeParams = z.object({ type: z.enum(RECORD_TYPES) })
const ItemParams = z.object({ type: z.enum(RECORD_TYPES), id: objectIdString })
const NewQuery = z.object({ session: z.string().optional(), student: objectIdString.optional() })

/** Where a saved entry shows: the student's own page, or their mentor's page of that mentee. */
export const recordPath = (auth: Auth, studentUserId: string): string =>
  auth.role === 'student' ? '/student/activities' : `/mentor/mentees/${studentUserId}`

/** New, edit and delete pages for sessions, coaching, meetings, goals, contacts and reflections: one form template. */
export const recordFormRoutes: FastifyPluginAsync<RecordFormOptions> = async (app, { requireRole, services }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const writers = requireRole('student', 'mentor')
  const forms = recordForms(services)

  const specsFor = async (auth: Auth, type: RecordType, student: string) => {
    const actor = actorOf(auth)
    if (type !== 'reflection') return FORM_SPECS[type]({ term: actor.term })
    const own = await services.activities.list(actor, student)
    return FORM_SPECS.reflection({ term: actor.term, activities: own.map((a) => ({ value: String(a._id), label: `${dayOf(a.date)} · ${ACTIVITY_KIND_LABELS[a.kind]}` })) })
  }

  /** A student editing an entry their mentor returned sees the mentor's comment above the form. */
  const introOf = async (auth: Auth, type: RecordType, id?: string): Promise<string | undefined> => {
    if (auth.role !== 'student' || !isActivity(type)) return undefined
    const activity = id === undefined ? null : await services.activities.get(actorOf(auth), id)
    if (activity?.status === 'planned') return 'This is a booked session. After it, add the topics and notes and save: it goes to your mentor to verify. To move or cancel it, use Book a session.'
    if (activity?.status !== 'rejected') return 'Your mentor will verify it.'
    const comment = activity.review?.comment ?? ''
    return `Your mentor returned this entry${comment === '' ? '' : `: “${comment}”`}. Change what it asks and save: it goes back to your mentor to verify.`
  }

  const page = async (auth: Auth, type: RecordType, student: string, values: FormValues, id?: string, errors?: FieldError[]): Promise<FormPage> => {
    const name = auth.role === 'student' ? undefined : (await services.names(String(auth.course._id))).get(student)
    // A booked session leaves the record by cancelling the booking, which tells the other person.
    const booked = id !== undefined && isActivity(type) && (await services.activities.get(actorOf(auth), id)).status === 'planned'
    const verb = id ? 'Edit' : !isActivity(type) ? 'Add' : auth.role === 'student' ? 'Log' : 'Record'
    return {
      heading: `${verb} a ${forms[type].noun}${name ? ` for ${name}` : ''}`,
      intro: await introOf(auth, type, id),
      action: id ? `/records/${type}/${id}` : `/records/${type}`,
      submitLabel: 'Save',
      cancelHref: recordPath(auth, student),
      specs: await specsFor(auth, type, student),
      values,
      errors,
      hidden: auth.role === 'student' || id ? {} : { studentUserId: student },
      deleteAction: id && !booked ? `/records/${type}/${id}/delete` : undefined,
      nav: auth.role === 'student' ? 'activities' : 'mentees'
    }
  }
  const saved = (auth: Auth, type: RecordType) => auth.role === 'student' && isActivity(type) ? 'logged' : 'saved'

  api.get('/records/:type/new', { schema: { hide: true, params: TypeParams, querystring: NewQuery }, preHandler: writers }, async (request, reply) => {
    const auth = authOf(request)
    const student = auth.role === 'student' ? String(auth.user._id) : request.query.student
    if (!student || !(await services.access.canSee(actorOf(auth), student))) throw Errors.notFound('Student')
    return await renderForm(reply, auth, await page(auth, request.params.type, student, { date: defaultDayIn(actorOf(auth).term, today()), status: 'not-started', horizon: 'short' }))
  })

  api.post('/records/:type', { schema: { hide: true, params: TypeParams, body: FormBody }, preHandler: writers }, async (request, reply) => {
    const auth = authOf(request)
    const { type } = request.params
    const student = auth.role === 'student' ? String(auth.user._id) : String(request.body.studentUserId ?? '')
    const specs = await specsFor(auth, type, student)
    const values = valuesOf(specs, request.body)
    const whose = auth.role === 'student' ? {} : { studentUserId: student }
    const errors = await forms[type].create(actorOf(auth), { ...inputOf(specs, values), ...whose })
    if (errors) return await renderForm(reply, auth, await page(auth, type, student, values, undefined, errors), 400)
    return await redirectWithNotice(reply, auth, recordPath(auth, student), saved(auth, type))
  })

  api.get('/records/:type/:id/edit', { schema: { hide: true, params: ItemParams, querystring: NewQuery }, preHandler: writers }, async (request, reply) => {
    const auth = authOf(request)
    const { type, id } = request.params
    const { studentUserId, values } = await forms[type].get(actorOf(auth), id)
    return await renderForm(reply, auth, await page(auth, type, String(studentUserId), values, id))
  })

  api.post('/records/:type/:id', { schema: { hide: true, params: ItemParams, body: FormBody }, preHandler: writers }, async (request, reply) => {
    const auth = authOf(request)
    const { type, id } = request.params
    const student = String((await forms[type].get(actorOf(auth), id)).studentUserId)
    const specs = await specsFor(auth, type, student)
    const values = valuesOf(specs, request.body)
    const errors = await forms[type].update(actorOf(auth), id, inputOf(specs, values))
    if (errors) return await renderForm(reply, auth, await page(auth, type, student, values, id, errors), 400)
    return await redirectWithNotice(reply, auth, recordPath(auth, student), saved(auth, type))
  })

  api.post('/records/:type/:id/delete', { schema: { hide: true, params: ItemParams, body: FormBody }, preHandler: writers }, async (request, reply) => {
    const auth = authOf(request)
    const { type, id } = request.params
    const student = String((await forms[type].get(actorOf(auth), id)).studentUserId)
    await forms[type].remove(actorOf(auth), id)
    return await redirectWithNotice(reply, auth, recordPath(auth, student), 'deleted')
  })
}
