import { createHash } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Auth } from '../../auth/require-session'
import type { CalendarEvent } from '../../domain/calendar/calendar-event'
import type { Calendar } from '../../domain/calendar/calendars'
import type { CalendarCourse, CalendarReader } from '../../domain/calendar/ports'
import { termOf } from '../../domain/term/term'

/** Writes calendar text (notifications/calendar-file.ts, given by the composition root). */
export type CalendarWriter = (events: readonly CalendarEvent[], options?: { name?: string, refreshSeconds?: number }) => string

export const readerOf = (auth: Auth): CalendarReader => ({ courseId: String(auth.course._id), userId: String(auth.user._id), role: auth.role })
export const courseOf = (auth: Auth): CalendarCourse => ({ title: auth.course.title ?? '', term: termOf(auth.course), changedAt: auth.course.updatedAt })

/** One event to download: a file the browser saves and a calendar app opens. The link carried a session: no caching. */
export async function sendDownload (reply: FastifyReply, write: CalendarWriter, calendar: Calendar, filename: string) {
  return await reply
    .header('content-type', 'text/calendar; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .header('cache-control', 'private, no-store')
    .send(write(calendar.events, { name: calendar.name }))
}

/**
 * A feed that calendar apps fetch again and again: cacheable by the app alone, with an ETag so a fetch of an unchanged
 * calendar is answered 304 without a body (every DTSTAMP is the entry's last change, so the text only changes with it).
 */
export async function sendFeed (request: FastifyRequest, reply: FastifyReply, text: string, maxAgeSeconds: number) {
  const etag = `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`
  reply.header('cache-control', `private, max-age=${maxAgeSeconds}`).header('etag', etag)
  if (request.headers['if-none-match'] === etag) return await reply.code(304).send()
  return await reply.header('content-type', 'text/calendar; charset=utf-8').header('content-disposition', 'inline; filename="mentorlink.ics"').send(text)
}
