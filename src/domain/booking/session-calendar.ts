import type { CalendarEvent } from '../calendar/calendar-event'
import type { Booking } from './ports'

/** A booked session as a calendar entry: one uid across its moves (the first booking's id), replaced as it changes. */
export function sessionEntry (b: Booking, names: { student: string, mentor: string }): CalendarEvent {
  return {
    uid: `session-${b.seriesId}@mentorlink`,
    title: `1:1 mentoring session: ${names.mentor} and ${names.student}`,
    startsAt: b.startsAt,
    endsAt: new Date(b.startsAt.getTime() + b.minutes * 60_000),
    allDay: false,
    timeZone: b.timeZone,
    place: b.place || b.videoLink,
    description: [b.videoLink ? `Video link: ${b.videoLink}` : '', b.note].filter(Boolean).join('\n'),
    sequence: b.sequence,
    changedAt: b.updatedAt,
    cancelled: b.status === 'cancelled',
    fileName: 'mentoring-session.ics'
  }
}
