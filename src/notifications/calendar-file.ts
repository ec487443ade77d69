import type { CalendarEntry } from '../domain/notifications/notice'
import type { MailAttachment } from '../domain/notifications/ports'
import { CALENDAR_TYPE, calendarText } from './calendar-event'

/** An entry as an .ics file (RFC 5545) a mail client offers to add to the calendar. */
export function calendarFile (entry: CalendarEntry): MailAttachment {
  return { filename: entry.fileName ?? 'field-trip.ics', content: calendarText(entry), contentType: CALENDAR_TYPE }
}
