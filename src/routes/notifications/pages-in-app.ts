import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf, type Auth, type RequireRole } from '../../auth/require-session'
import { CHOOSABLE_KINDS, EMAIL_KINDS, kindLabel, modesOf, type EmailKind } from '../../domain/notifications/email-kinds'
import type { CourseNoticeSettings, InboxItem, MailPreferences } from '../../domain/notifications/ports'
import { DELIVERY_MODE_LABELS, DELIVERY_MODES, type DeliveryMode } from '../../domain/notifications/vocabulary'
import type { CourseRole } from '../../domain/launch/roles'
import { FormBody, noticeQuery, noticeText, redirectWithNotice } from '../../http/forms'
import { timeLabelsIn } from '../../http/date-labels'
import { pageContext } from '../../http/page-context'
import { Errors } from '../../errors'

export interface InAppNotificationOptions {
  requireRole: RequireRole
  inApp: { read: (reader: { courseId: string, userId: string, role: CourseRole, poolId: string | null }, limit: number) => Promise<Array<InboxItem & { unread: boolean }>> }
  preferences: Pick<MailPreferences, 'of' | 'choose'>
  courseSettings: CourseNoticeSettings
  /** False when Mentorlink sends no email (no SMTP server configured): the settings page says so. */
  emailOn: boolean
}

const SHOWN = 50
/** What the list will hold, for someone whose list is still empty. */
const EMPTY: Record<CourseRole, string> = {
  student: 'Nothing yet. When you are paired with a mentor, invited to a field trip, or your mentor returns an entry, it shows here.',
  mentor: 'Nothing yet. When you are given mentees, or a mentee records something for you to verify, it shows here.',
  instructor: 'Nothing yet. Your summary of the week arrives here every Monday once the pairing is published.'
}
const NOTICES = { saved: 'Your email settings are saved.', course: 'Saved: the course sends the kinds of email ticked below.' }
const PageQuery = noticeQuery(NOTICES)

const kindsFor = (role: CourseRole): EmailKind[] => CHOOSABLE_KINDS.filter((k) => (EMAIL_KINDS[k].who as readonly string[]).includes(role))
const mode = z.enum(DELIVERY_MODES, { error: 'Choose how you want these emails: as they happen, in a daily summary, or never.' })
/** Each kind the person may choose, by its field `mode-<kind>`; an absent field keeps that kind as it is. */
const SettingsForm = z.object(Object.fromEntries(CHOOSABLE_KINDS.map((k) => [`mode-${k}`, mode.optional()])))
const CourseForm = z.object({ send: z.union([z.string(), z.array(z.string())]).optional() })

/**
 * The in-app notifications list every signed-in person has (what the emails said, and more for people without an
 * address), and their email settings: per kind as it happens, in a daily summary, or never. Instructors also choose
 * which kinds their course sends.
 */
export const inAppNotificationRoutes: FastifyPluginAsync<InAppNotificationOptions> = async (app, { requireRole, inApp, preferences, courseSettings, emailOn }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const preHandler = requireRole('student', 'mentor', 'instructor')
  const readerOf = ({ course, user, role }: Auth) => ({ courseId: String(course._id), userId: String(user._id), role, poolId: course.poolId ? String(course.poolId) : null })
  const addressOf = (auth: Auth): string => (auth.user.email ?? '').trim().toLowerCase()

  api.get('/notifications', { schema: { hide: true }, preHandler }, async (request, reply) => {
    const auth = authOf(request)
    const items = await inApp.read(readerOf(auth), SHOWN)
    const fresh = items.filter((i) => i.unread).length
    return await reply.view('pages/notifications', {
      ...pageContext({ ...auth, unread: 0 }, 'Notifications', 'notifications'),
      fresh,
      empty: EMPTY[auth.role],
      items: items.map((i) => ({ text: i.text, page: i.page, unread: i.unread, at: i.at.toISOString(), when: timeLabelsIn(auth.zone.zone).time(i.at) }))
    })
  })

  const renderSettings = async (reply: FastifyReply, auth: Auth, notice?: string, status = 200, error?: string) => {
    const address = addressOf(auth)
    const [chosen, off] = await Promise.all([
      address === '' ? new Map<string, DeliveryMode>() : preferences.of(address),
      courseSettings.kindsOff(String(auth.course._id))
    ])
    const modeOf = (kind: EmailKind): DeliveryMode => chosen.get(kind) ?? EMAIL_KINDS[kind].usual
    const summariesOff = chosen.get('digest') === 'off'
    const kinds = kindsFor(auth.role).map((kind) => ({
      kind,
      label: kindLabel(kind, auth.role),
      courseOff: off.has(kind),
      notSent: summariesOff && modeOf(kind) === 'digest',
      options: modesOf(kind).map((value) => ({ value, label: DELIVERY_MODE_LABELS[value], checked: modeOf(kind) === value }))
    }))
    return await reply.code(status).view('pages/notification-settings', {
      ...pageContext(auth, status >= 400 ? 'Error: Email settings' : 'Email settings', 'notifications'),
      notice, error, emailOn, address, kinds, summariesOff: summariesOff && kinds.some((k) => k.notSent),
      courseKinds: auth.role === 'instructor'
        ? CHOOSABLE_KINDS.map((kind) => ({ kind, label: EMAIL_KINDS[kind].course, sent: !off.has(kind) }))
        : null
    })
  }

  api.get('/notifications/settings', { schema: { hide: true, querystring: PageQuery }, preHandler }, async (request, reply) =>
    await renderSettings(reply, authOf(request), noticeText(NOTICES, request.query)))

  api.post('/notifications/settings', { schema: { hide: true, body: FormBody }, preHandler }, async (request, reply) => {
    const auth = authOf(request)
    const address = addressOf(auth)
    if (address === '') throw Errors.badRequest('Mentorlink has no email address for you, so there is nothing to choose: your notifications appear in Mentorlink only.')
    const parsed = SettingsForm.safeParse(request.body)
    if (!parsed.success) return await renderSettings(reply, auth, undefined, 400, parsed.error.issues[0]?.message)
    const allowed = new Set<string>(kindsFor(auth.role))
    const choices = Object.entries(parsed.data).flatMap(([field, value]) => {
      const kind = field.slice('mode-'.length)
      return value !== undefined && allowed.has(kind) && modesOf(kind as EmailKind).includes(value) ? [{ kind: kind as EmailKind, value }] : []
    })
    for (const { kind, value } of choices) await preferences.choose(address, kind, value === EMAIL_KINDS[kind].usual ? null : value)
    // Choosing a daily summary here wants one: summaries stopped from an email's link start again.
    if (choices.some((c) => c.value === 'digest')) await preferences.choose(address, 'digest', null)
    return await redirectWithNotice(reply, auth, '/notifications/settings', 'saved')
  })

  api.post('/notifications/course', { schema: { hide: true, body: FormBody }, preHandler: requireRole('instructor') }, async (request, reply) => {
    const auth = authOf(request)
    const parsed = CourseForm.safeParse(request.body)
    if (!parsed.success) throw Errors.badRequest('Tick the kinds of email the course sends.')
    const sent = new Set(([] as string[]).concat(parsed.data.send ?? []))
    await courseSettings.setKindsOff(String(auth.course._id), CHOOSABLE_KINDS.filter((k) => !sent.has(k)))
    return await redirectWithNotice(reply, auth, '/notifications/settings#course', 'course')
  })
}
