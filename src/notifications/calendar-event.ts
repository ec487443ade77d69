import ical, { ICalEventStatus } from 'ical-generator'
import type { CalendarEntry } from '../domain/notifications/notice'

/** How long an entry without an end shows in a calendar: an .ics event with a start alone lasts no time at all. */
const SHOWN_HOURS = 2

/** One entry as the text of an .ics file (RFC 5545), for an email's attachment or a download. */
export function calendarText (entry: CalendarEntry): string {
  const calendar = ical({ prodId: { company: 'Mentorlink', product: 'Mentorlink', language: 'EN' } })
  calendar.createEvent({
    id: entry.uid,
    sequence: entry.sequence,
    status: entry.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    start: entry.startsAt,
    end: entry.endsAt ?? new Date(entry.startsAt.getTime() + SHOWN_HOURS * 3600_000),
    summary: entry.title,
    location: entry.place,
    description: entry.description
  })
  return calendar.toString()
}

export const CALENDAR_TYPE = 'text/calendar; charset=utf-8'
