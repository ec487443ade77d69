import type { FastifyPluginAsync } from 'fastify'
import type { RequireRole } from '../../auth/require-session'
import type { Calendars } from '../../domain/calendar/calendars'
import type { CalendarWriter } from './calendar-reply'
import { calendarDownloads } from './downloads'
import { calendarFeed } from './feed'
import { calendarPages } from './pages'

export interface CalendarRoutesOptions { requireRole: RequireRole, calendars: Calendars, write: CalendarWriter }

/** Calendars: the Calendar page, single events to download and the personal feed. */
export const calendarRoutes: FastifyPluginAsync<CalendarRoutesOptions> = async (app, options) => {
  for (const plugin of [calendarPages, calendarDownloads, calendarFeed]) await app.register(plugin, options)
}
