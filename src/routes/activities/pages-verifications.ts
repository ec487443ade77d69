import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf, type Auth, type RequireRole } from '../../auth/require-session'
import type { Activity } from '../../domain/activities/ports'
import { GoalProgress, Verification } from '../../domain/activities/record-fields'
import { ACTIVITY_KIND_LABELS } from '../../domain/activities/vocabulary'
import { dayOf, today } from '../../domain/term/calendar-day'
import { defaultDayIn } from '../../domain/term/term'
import { FormBody, redirectWithNotice, submit } from '../../http/forms'
import { IdParams } from '../../http/schemas'
import { pageContext } from '../../http/page-context'
import { inputOf, valuesOf, type FormValues } from './form-fields'
import { noticeOf, PageQuery, renderForm } from './form-page'
import { FORM_SPECS } from './form-specs'
import { recordPath } from './pages-record-forms'
import type { ActivityServices } from '../../services'
import { actorOf } from './actor'
import { activityDetails } from './student-record-view'

export interface VerificationPagesOptions { requireRole: RequireRole, services: ActivityServices }

interface ReturnedEntry { activity: Activity, name: string }

const Back = z.enum(['list', 'mentee']).default('list')
const ReturnQuery = PageQuery.extend({ back: Back })

/** The mentor's verification queue (approve, or return with a comment) and goal progress updates. */
export const verificationPages: FastifyPluginAsync<VerificationPagesOptions> = async (app, { requireRole, services }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const mentor = requireRole('mentor')
  const entryOf = async (auth: Auth, id: string): Promise<ReturnedEntry> => {
    const activity = await services.activities.get(actorOf(auth), id)
    const names = await services.names(String(auth.course._id))
    return { activity, name: names.get(String(activity.studentUserId)) ?? 'the student' }
  }
  const backTo = (back: 'list' | 'mentee', student: string) => back === 'mentee' ? `/mentor/mentees/${student}` : '/mentor/verifications'

  api.get('/mentor/verifications', { schema: { hide: true, querystring: PageQuery }, preHandler: mentor }, async (request, reply) => {
    const auth = authOf(request)
    const [pending, names] = await Promise.all([services.activities.pending(actorOf(auth)), services.names(String(auth.course._id))])
    return await reply.view('pages/verifications', {
      ...pageContext(auth, 'Verifications', 'verifications'),
      notice: noticeOf(request.query.notice),
      pending: pending.map((a) => ({
        student: names.get(String(a.studentUserId)) ?? 'Unknown student',
        date: dayOf(a.date),
        kindLabel: ACTIVITY_KIND_LABELS[a.kind],
        details: activityDetails(a),
        approve: `/mentor/verifications/${String(a._id)}/approve`,
        returnHref: `/mentor/verifications/${String(a._id)}/return`
      }))
    })
  })

  api.post('/mentor/verifications/:id/approve', { schema: { hide: true, params: IdParams, body: FormBody }, preHandler: mentor }, async (request, reply) => {
    const auth = authOf(request)
    const activity = await services.activities.verify(actorOf(auth), request.params.id, 'approve', '')
    return await redirectWithNotice(reply, auth, backTo(Back.parse(request.body.back), String(activity.studentUserId)), 'verified')
  })

  /** The return form names the entry it is about: whose, what, when, and what they wrote. */
  const returnPage = (id: string, back: 'list' | 'mentee', entry: ReturnedEntry, values: FormValues, errors?: Parameters<typeof renderForm>[2]['errors']) => ({
    heading: `Return ${entry.name}'s ${ACTIVITY_KIND_LABELS[entry.activity.kind].toLowerCase()} of ${dayOf(entry.activity.date)}`,
    intro: `${activityDetails(entry.activity).map((d) => `${d.term}: ${d.value}`).join(' · ')}. Say what is missing or wrong; ${entry.name} can then edit the entry and send it again.`,
    action: `/mentor/verifications/${id}/return`,
    submitLabel: 'Return to the student',
    cancelHref: backTo(back, String(entry.activity.studentUserId)),
    specs: FORM_SPECS.return({ term: null }),
    values,
    errors,
    hidden: { back },
    nav: 'verifications'
  })

  api.get('/mentor/verifications/:id/return', { schema: { hide: true, params: IdParams, querystring: ReturnQuery }, preHandler: mentor }, async (request, reply) => {
    const auth = authOf(request)
    return await renderForm(reply, auth, returnPage(request.params.id, request.query.back, await entryOf(auth, request.params.id), { comment: '' }))
  })

  api.post('/mentor/verifications/:id/return', { schema: { hide: true, params: IdParams, body: FormBody }, preHandler: mentor }, async (request, reply) => {
    const auth = authOf(request)
    const { id } = request.params
    const back = Back.parse(request.body.back)
    const entry = await entryOf(auth, id)
    const specs = FORM_SPECS.return({ term: null })
    const values = valuesOf(specs, request.body)
    const refused = await submit(Verification, { decision: 'reject', ...inputOf(specs, values) }, async ({ comment }) => await services.activities.verify(actorOf(auth), id, 'reject', comment))
    if (refused) return await renderForm(reply, auth, returnPage(id, back, entry, values, refused.errors), 400)
    return await redirectWithNotice(reply, auth, backTo(back, String(entry.activity.studentUserId)), 'returned')
  })

  const progressPage = async (auth: Auth, id: string, values: FormValues, errors?: Parameters<typeof renderForm>[2]['errors']) => {
    const goal = await services.goals.get(actorOf(auth), id)
    return {
      heading: `Progress on “${goal.text}”`,
      action: `/records/goal/${id}/progress`,
      submitLabel: 'Save the update',
      cancelHref: recordPath(auth, String(goal.studentUserId)),
      specs: FORM_SPECS.progress({ term: actorOf(auth).term }),
      values,
      errors,
      nav: auth.role === 'student' ? 'activities' : 'mentees'
    }
  }

  api.get('/records/goal/:id/progress', { schema: { hide: true, params: IdParams, querystring: PageQuery }, preHandler: requireRole('student', 'mentor') }, async (request, reply) => {
    const auth = authOf(request)
    return await renderForm(reply, auth, await progressPage(auth, request.params.id, { date: defaultDayIn(actorOf(auth).term, today()), note: '', status: '' }))
  })

  api.post('/records/goal/:id/progress', { schema: { hide: true, params: IdParams, body: FormBody }, preHandler: requireRole('student', 'mentor') }, async (request, reply) => {
    const auth = authOf(request)
    const { id } = request.params
    const specs = FORM_SPECS.progress({ term: actorOf(auth).term })
    const values = valuesOf(specs, request.body)
    let student = ''
    const refused = await submit(GoalProgress, inputOf(specs, values), async (data) => { student = String((await services.goals.addProgress(actorOf(auth), id, data)).studentUserId) })
    if (refused) return await renderForm(reply, auth, await progressPage(auth, id, values, refused.errors), 400)
    return await redirectWithNotice(reply, auth, recordPath(auth, student), 'progress')
  })
}
