import { getVtimezoneComponent } from '@touch4it/ical-timezones'
import ical, { ICalEventStatus } from 'ical-generator'
import { DateTime } from 'luxon'
import type { CalendarEvent } from '../domain/calendar/calendar-event'
import type { MailAttachment } from '../domain/notifications/ports'

/**
 * The VTIMEZONE component of an IANA zone (RFC 5545 wants one for every TZID used), e.g. `getVtimezoneComponent` of
 * `@touch4it/ical-timezones`; null for a zone it does not know.
 */
export type VtimezoneGenerator = (zone: string) => string | null

export interface CalendarOptions {
  /** The calendar's name in the app that subscribes to it (X-WR-CALNAME). */
  name?: string
  /** How often a subscribing app should fetch the calendar again (REFRESH-INTERVAL, X-PUBLISHED-TTL). */
  refreshSeconds?: number
}

const PRODUCT = { company: 'Mentorlink', product: 'Mentorlink', language: 'EN' }

/**
 * Writes calendars (RFC 5545) with ical-generator: trip emails' attachments, downloads and personal feeds. Times go
 * out in UTC unless `vtimezone` can describe the event's zone: then with its TZID, so a calendar shows a trip at its
 * local time across daylight-saving changes.
 */
export function calendarWriter (vtimezone: VtimezoneGenerator | null) {
  const zoned = (event: CalendarEvent): boolean => vtimezone !== null && !event.allDay && event.timeZone !== 'UTC' && vtimezone(event.timeZone) !== null
  const text = (events: readonly CalendarEvent[], options: CalendarOptions = {}): string => {
    const calendar = ical({ prodId: PRODUCT, ...(options.name !== undefined ? { name: options.name } : {}), ...(options.refreshSeconds !== undefined ? { ttl: options.refreshSeconds } : {}) })
    if (vtimezone !== null) calendar.timezone({ name: null, generator: (zone) => vtimezone(zone) })
    for (const event of events) {
      const inZone = zoned(event)
      const at = (d: Date) => inZone ? DateTime.fromJSDate(d).setZone(event.timeZone) : d
      calendar.createEvent({
        id: event.uid,
        sequence: event.sequence,
        stamp: event.changedAt,
        status: event.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
        start: at(event.startsAt),
        end: at(event.endsAt),
        allDay: event.allDay,
        ...(inZone ? { timezone: event.timeZone } : {}),
        summary: event.title,
        ...(event.place !== '' ? { location: event.place } : {}),
        // Many calendar apps show the description but not the URL property, so the link is in both.
        description: [event.description, event.url !== undefined ? `Open in Mentorlink: ${event.url}` : ''].filter((t) => t !== '').join('\n\n'),
        ...(event.url !== undefined ? { url: event.url } : {})
      })
    }
    return calendar.toString()
  }
  return {
    text,
    /** One event as an email attachment a mail client offers to add to the calendar. */
    file: (event: CalendarEvent): MailAttachment => ({ filename: event.fileName ?? 'field-trip.ics', content: text([event]), contentType: 'text/calendar; charset=utf-8' })
  }
}

// A zone the package does not describe answers null there and goes out in UTC.
const writer = calendarWriter((zone) => getVtimezoneComponent(zone) ?? null)
export const calendarText = writer.text
export const calendarFile = writer.file
