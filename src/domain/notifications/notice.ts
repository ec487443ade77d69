/**
 * One notice to one person: what it says, the email it makes (when they have an address and want it) and the line
 * in their in-app notifications list (always).
 */
export interface Notice {
  /** `address` is '' for someone Mentorlink has no email address for: they get the in-app line only. */
  to: { address: string, name: string }
  /** Whose in-app list it joins (recipientOf). */
  inbox: string
  /** Tells notices to one person apart within one event. */
  key: string
  /** The email's subject, and the in-app line unless `line` is given (the list is in the course: no need to name it). */
  subject: string
  line?: string
  /** The template in views/emails. */
  template: string
  /** Whose page its email's link opens. */
  role: 'student' | 'mentor' | 'instructor'
  /** The page of Mentorlink it is about, for the in-app list. */
  page: string
  data: Record<string, unknown>
  /** An event the email carries as an .ics file, for the person's calendar. */
  calendar?: CalendarEntry
}

/** Something that happens at a time and place, as a calendar file describes it. */
export interface CalendarEntry {
  uid: string
  title: string
  startsAt: Date
  /** Without an end, the entry shows for a couple of hours. */
  endsAt?: Date
  place: string
  description: string
  /** Grows with each change, so a calendar replaces the older copy of the entry (RFC 5545 SEQUENCE). */
  sequence: number
  cancelled: boolean
  /** The attachment's name; 'field-trip.ics' when absent. */
  fileName?: string
}

/** A course member's in-app list goes by their user id; a pool mentor's by their mentor id (an external mentor may have no user yet). */
export const recipientOf = {
  user: (userId: string): string => `u:${userId}`,
  mentor: (mentorId: string): string => `m:${mentorId}`
}
