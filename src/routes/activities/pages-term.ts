import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { authOf, type Auth, type RequireRole } from '../../auth/require-session'
import type { FieldError } from '../../domain/activities/field-error'
import { courseZoneOf, lmsTermDates, termOf, type Milestone } from '../../domain/term/term'
import { allTimeZones } from '../../domain/time/zones'
import { TermInput } from '../../domain/term/term-fields'
import { milestonesOutside } from '../../domain/term/term-service'
import { FormBody, redirectWithNotice, submit } from '../../http/forms'
import { pageContext } from '../../http/page-context'
import { noticeOf, PageQuery } from './form-page'
import type { ActivityServices } from '../../services'
import { actorOf } from './actor'
import { milestoneDownloads } from '../calendar/pages'

/** The id of the input a problem belongs to, for the summary's links. */
function anchorOf (field: string): string {
  const milestone = /^milestones\.(\d+)\.(title|date)$/.exec(field)
  if (milestone) return `milestone-${milestone[2] as string}-${Number(milestone[1]) + 1}`
  return field === 'timeZone' ? 'field-timeZone' : `field-${field}`
}

/** When the form was refused before the term could be judged, the milestones outside it too: one save shows every problem. */
function datesOutside (auth: Auth, form: TermForm, errors: readonly FieldError[]): FieldError[] {
  const term = termOf({ custom: auth.course.custom, term: { start: form.start, end: form.end } })
  if (term === null) return []
  return milestonesOutside(term, form.milestones).filter((p) => !errors.some((e) => e.field === p.field))
}

export interface TermPageOptions { requireRole: RequireRole, services: ActivityServices }

const BLANK_ROWS = 3
const list = (v: string | string[] | undefined): string[] => v === undefined ? [] : [v].flat()

interface TermForm { start: string, end: string, timeZone: string, milestones: Milestone[] }

/** How a field's problem reads in the summary at the top: milestones' messages already say which one. */
const SUMMARY_LABELS: Record<string, string> = { start: 'First day of the term', end: 'Last day of the term', timeZone: 'Time zone of the course' }
const summaryLine = (e: FieldError): string => SUMMARY_LABELS[e.field] !== undefined ? `${SUMMARY_LABELS[e.field]}: ${e.message}` : e.message

/** The instructor's Term page: dates (unless the LMS sends them) and milestones. */
export const termPage: FastifyPluginAsync<TermPageOptions> = async (app, { requireRole, services }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const instructor = requireRole('instructor')

  const render = async (reply: FastifyReply, auth: Auth, form: TermForm, errors: FieldError[] = [], notice?: string) => {
    const lms = lmsTermDates(auth.course.custom)
    const errorOf = (field: string) => errors.find((e) => e.field === field)?.message
    const date = (key: 'start' | 'end', label: string) => ({
      name: key, label, id: `field-${key}`, fromLms: lms[key], value: lms[key] ?? form[key], error: errorOf(key)
    })
    const rows = [...form.milestones, ...Array.from({ length: BLANK_ROWS }, () => ({ title: '', date: '' }))].map((m, i) => ({
      ...m, number: i + 1, titleError: errorOf(`milestones.${i}.title`), dateError: errorOf(`milestones.${i}.date`)
    }))
    const other = errors.filter((e) => !/^(start|end|timeZone|milestones\.\d+\.(title|date))$/.test(e.field))
    return await reply.status(errors.length > 0 ? 400 : 200).view('pages/term', {
      ...pageContext(auth, errors.length > 0 ? 'Error: Term' : 'Term', 'term'),
      notice: noticeOf(notice),
      term: termOf(auth.course),
      calendarMilestones: milestoneDownloads(auth),
      dates: [date('start', 'First day of the term'), date('end', 'Last day of the term')],
      rows,
      zoneField: { value: form.timeZone, error: errorOf('timeZone'), options: allTimeZones().map((zone) => ({ value: zone, label: zone.replace(/_/g, ' '), selected: zone === form.timeZone })) },
      summary: errors.map((e) => ({ message: summaryLine(e), href: `#${anchorOf(e.field)}` })),
      otherErrors: other.map((e) => e.message)
    })
  }

  const stored = (auth: Auth): TermForm => {
    const own = (auth.course.term ?? {}) as { start?: string, end?: string, milestones?: Milestone[] }
    return { start: own.start ?? '', end: own.end ?? '', timeZone: courseZoneOf(auth.course) ?? auth.zone.zone, milestones: termOf(auth.course)?.milestones ?? own.milestones ?? [] }
  }

  api.get('/instructor/term', { schema: { hide: true, querystring: PageQuery }, preHandler: instructor }, async (request, reply) => {
    const auth = authOf(request)
    return await render(reply, auth, stored(auth), [], request.query.notice)
  })

  api.post('/instructor/term', { schema: { hide: true, body: FormBody }, preHandler: instructor }, async (request, reply) => {
    const auth = authOf(request)
    const lms = lmsTermDates(auth.course.custom)
    const text = (key: 'start' | 'end') => lms[key] === undefined ? String(request.body[key] ?? '').trim() : ''
    const titles = list(request.body.milestoneTitle)
    const milestones = list(request.body.milestoneDate).map((d, i) => ({ title: (titles[i] ?? '').trim(), date: d.trim() }))
      .filter((m) => m.title !== '' || m.date !== '')
    const form = { start: text('start'), end: text('end'), timeZone: String(request.body.timeZone ?? '').trim(), milestones }
    const input = { ...(form.start ? { start: form.start } : {}), ...(form.end ? { end: form.end } : {}), ...(form.timeZone ? { timeZone: form.timeZone } : {}), milestones }
    const refused = await submit(TermInput, input, async (data) => await services.term.save(actorOf(auth), auth.course, data))
    if (refused) return await render(reply, auth, form, [...refused.errors, ...datesOutside(auth, form, refused.errors)])
    return await redirectWithNotice(reply, auth, '/instructor/term', 'term')
  })
}
