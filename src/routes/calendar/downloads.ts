import type { FastifyPluginAsync } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf, type RequireRole } from '../../auth/require-session'
import type { Calendars } from '../../domain/calendar/calendars'
import { IdParams } from '../../http/schemas'
import { tripCalendarPath } from '../activities/pages-field-trips'
import { courseOf, readerOf, sendDownload, type CalendarWriter } from './calendar-reply'
import { milestoneCalendarPath } from './pages'

export interface CalendarDownloadOptions { requireRole: RequireRole, calendars: Calendars, write: CalendarWriter }

const MilestoneParams = z.object({ key: z.string().regex(/^[0-9a-f]{16}(-\d{1,2})?$/, 'is not a milestone of this course') })

/** One event as an .ics file: a field trip the person may see (404 otherwise), a milestone of their course. */
export const calendarDownloads: FastifyPluginAsync<CalendarDownloadOptions> = async (app, { requireRole, calendars, write }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const preHandler = requireRole('student', 'mentor', 'instructor')

  api.get(tripCalendarPath(':id'), { schema: { hide: true, params: IdParams }, preHandler }, async (request, reply) => {
    const auth = authOf(request)
    return await sendDownload(reply, write, await calendars.trip(readerOf(auth), courseOf(auth), request.params.id), 'field-trip.ics')
  })

  api.get(milestoneCalendarPath(':key'), { schema: { hide: true, params: MilestoneParams }, preHandler }, async (request, reply) => {
    const auth = authOf(request)
    return await sendDownload(reply, write, calendars.milestone(readerOf(auth), courseOf(auth), request.params.key), 'milestone.ics')
  })
}
