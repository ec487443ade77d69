import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { authOf, type Auth, type RequireRole } from '../../auth/require-session'
import type { Calendars } from '../../domain/calendar/calendars'
import { keyedMilestones } from '../../domain/calendar/milestone-events'
import type { CourseRole } from '../../domain/launch/roles'
import { dayToDate, today } from '../../domain/term/calendar-day'
import { dayLabel } from '../../http/date-labels'
import { FormBody, noticeQuery, noticeText, redirectWithNotice } from '../../http/forms'
import { pageContext } from '../../http/page-context'
import { courseOf, readerOf } from './calendar-reply'

export interface CalendarPageOptions { requireRole: RequireRole, calendars: Calendars }

export const CALENDAR_PAGE = '/calendar'
export const milestoneCalendarPath = (key: string) => `/calendar/milestones/${key}/milestone.ics`
const NOTICES = {
  stopped: 'Your calendar link is stopped: calendar apps that used it get nothing more from Mentorlink. Make a new link whenever you want one.'
}
const PageQuery = noticeQuery(NOTICES)

/** What a person's feed holds, in their role's words. */
const TRIPS: Record<CourseRole, string> = {
  student: 'the field trips you are invited to (unless you said you are not coming), the 1:1 sessions you booked',
  mentor: 'the field trips you organise and the ones your mentees are invited to, the 1:1 sessions booked with you',
  instructor: 'every field trip of the course'
}

/** The milestones' links to download, for the Calendar and Term pages. */
export const milestoneDownloads = (auth: Auth) => keyedMilestones(courseOf(auth).term?.milestones ?? []).map((m) => ({
  title: m.title, date: m.date, dateLabel: dayLabel(dayToDate(m.date)), href: milestoneCalendarPath(m.key)
}))

/** The next milestones, for the home pages. */
export const upcomingMilestones = (auth: Auth, shown = 3) => milestoneDownloads(auth).filter((m) => m.date >= today()).slice(0, shown)

interface PageState { feedUrl?: string, error?: string }

/**
 * The Calendar page: a personal calendar link to subscribe to (made on request, shown once, stopped on request), how
 * to add it to Google Calendar, Outlook and Apple Calendar, and the milestones to download one by one.
 */
export const calendarPages: FastifyPluginAsync<CalendarPageOptions> = async (app, { requireRole, calendars }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const preHandler = requireRole('student', 'mentor', 'instructor')

  const render = async (reply: FastifyReply, auth: Auth, state: PageState, notice?: string, status = 200) => {
    const madeAt = state.feedUrl === undefined ? await calendars.linkMadeAt(readerOf(auth)) : null
    // The new link is on this page alone: no cache or history may keep it.
    if (state.feedUrl !== undefined) reply.header('cache-control', 'no-store')
    return await reply.code(status).view('pages/calendar', {
      ...pageContext(auth, status >= 400 ? 'Error: Calendar' : 'Calendar', 'calendar'),
      notice,
      error: state.error,
      holds: TRIPS[auth.role],
      feedUrl: state.feedUrl,
      webcalUrl: state.feedUrl?.replace(/^https?:/, 'webcal:'),
      madeOn: madeAt === null ? undefined : dayLabel(madeAt),
      hasLink: state.feedUrl !== undefined || madeAt !== null,
      milestones: milestoneDownloads(auth),
      tripsHref: `/${auth.role}/field-trips`
    })
  }

  api.get(CALENDAR_PAGE, { schema: { hide: true, querystring: PageQuery }, preHandler }, async (request, reply) =>
    await render(reply, authOf(request), {}, noticeText(NOTICES, request.query)))

  api.post(`${CALENDAR_PAGE}/link`, { schema: { hide: true, body: FormBody }, preHandler }, async (request, reply) => {
    const auth = authOf(request)
    const feedUrl = await calendars.makeLink(readerOf(auth))
    if (feedUrl === null) return await render(reply, auth, { error: 'You already have a calendar link. If you no longer have it, stop it first, then make a new one.' }, undefined, 409)
    return await render(reply, auth, { feedUrl }, 'Your calendar link is made. Copy it now: Mentorlink shows it only this once.')
  })

  api.post(`${CALENDAR_PAGE}/link/stop`, { schema: { hide: true, body: FormBody }, preHandler }, async (request, reply) => {
    const auth = authOf(request)
    await calendars.stopLink(readerOf(auth))
    return await redirectWithNotice(reply, auth, CALENDAR_PAGE, 'stopped')
  })
}
