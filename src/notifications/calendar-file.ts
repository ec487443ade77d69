import ical, { ICalEventStatus } from 'ical-generator'
import type { CalendarEntry } from '../domain/notifications/notice'
import type { MailAttachment } from '../domain/notifications/ports'

/** How long an entry without an end shows in a calendar: an .ics event with a start alone lasts no time at all. */
const SHOWN_HOURS = 2

/** An entry as an .ics file (RFC 5545) a mail client offers to add to the calendar. */
export function calendarFile (entry: CalendarEntry): MailAttachment {
  const calendar = ical({ prodId: { company: 'Mentorlink', product: 'Mentorlink', language: 'EN' } })
  calendar.createEvent({
    id: entry.uid,
    sequence: entry.sequence,
    status: entry.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    start: entry.startsAt,
    end: new Date(entry.startsAt.getTime() + SHOWN_HOURS * 3600_000),
    summary: entry.title,
    location: entry.place,
    description: entry.description
  })
  return { filename: 'field-trip.ics', content: calendar.toString(), contentType: 'text/calendar; charset=utf-8' }
}
