import { tripEnd } from '../activities/trip-clock'
import { tripZone } from '../activities/trip-time'
import type { Id } from '../ids'

/** Something that happens at a time and place, as a calendar (.ics, RFC 5545) describes it. */
export interface CalendarEvent {
  /** The same for the whole life of the thing it describes, so a calendar replaces its older copy. */
  uid: string
  title: string
  startsAt: Date
  endsAt: Date
  /** A day's entry (a milestone): the days of `startsAt` and, exclusive, `endsAt`, whatever the reader's zone. */
  allDay: boolean
  /** 'UTC' or an IANA zone the event's local times belong to. */
  timeZone: string
  place: string
  description: string
  /** The page in Mentorlink the event is about. */
  url?: string
  /** Grows with each change (RFC 5545 SEQUENCE). */
  sequence: number
  /** When the event last changed (RFC 5545 DTSTAMP of a published calendar). */
  changedAt: Date
  cancelled: boolean
  /** The name of the file an email attaches it as; 'field-trip.ics' when absent. */
  fileName?: string
}

/** A trip's times as far as a calendar needs them; trips saved before trips had an end or a zone carry neither. */
export interface TripTimes { startsAt: Date, endsAt?: Date | null, timeZone?: string | null }

export const tripUid = (tripId: Id): string => `trip-${tripId}@mentorlink`
/** Seconds since 1970 of the last change: grows with every change without a counter to keep. */
export const sequenceOf = (changedAt: Date): number => Math.floor(changedAt.getTime() / 1000)

export interface TripEventFacts extends TripTimes { title: string, place: string, description: string, changedAt: Date, cancelled: boolean }

/** A field trip as a calendar event: the invitation emails, the trip's download and the personal feed all use it. */
export const tripEvent = (tripId: Id, trip: TripEventFacts, url?: string): CalendarEvent => ({
  uid: tripUid(tripId),
  title: trip.title,
  startsAt: trip.startsAt,
  endsAt: tripEnd(trip),
  allDay: false,
  timeZone: tripZone(trip),
  place: trip.place,
  description: trip.description,
  ...(url !== undefined ? { url } : {}),
  sequence: sequenceOf(trip.changedAt),
  changedAt: trip.changedAt,
  cancelled: trip.cancelled
})
