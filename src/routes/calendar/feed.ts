import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { CALENDAR_FEED_PATH, type Calendars } from '../../domain/calendar/calendars'
import { Errors } from '../../errors'
import { sendFeed, type CalendarWriter } from './calendar-reply'

export interface CalendarFeedOptions { calendars: Pick<Calendars, 'feed'>, write: CalendarWriter }

/** How often calendar apps are asked to fetch again, and may keep their copy meanwhile. */
const REFRESH_SECONDS = 3600
const CACHE_SECONDS = 300

const FeedQuery = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'is incomplete: copy the whole calendar link from Mentorlink\'s Calendar page') })

/**
 * The personal feed calendar apps subscribe to: read-only, no session (the token in the link is the credential). An
 * unknown or stopped link, or a person no longer in the course, is answered 404.
 */
export const calendarFeed: FastifyPluginAsync<CalendarFeedOptions> = async (app, { calendars, write }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  api.get(CALENDAR_FEED_PATH, { schema: { hide: true, querystring: FeedQuery } }, async (request, reply) => {
    const calendar = await calendars.feed(request.query.token)
    if (calendar === null) throw Errors.notFound('Calendar link (it was stopped, or its owner left the course)')
    return await sendFeed(request, reply, write(calendar.events, { name: calendar.name, refreshSeconds: REFRESH_SECONDS }), CACHE_SECONDS)
  })
}
