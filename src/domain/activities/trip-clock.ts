import type { FieldTrip } from './ports'

/** How long a trip saved before trips had an end is taken to last. */
export const DEFAULT_TRIP_MS = 2 * 3_600_000

/** When check-in codes of a course's trips are valid: this many minutes before the start until this many after the end. */
export interface CheckInWindow { beforeMinutes: number, afterMinutes: number }
export const DEFAULT_CHECK_IN_WINDOW: CheckInWindow = { beforeMinutes: 60, afterMinutes: 120 }
export const CHECK_IN_WINDOW_MAX_MINUTES = 24 * 60

type Timed = Pick<FieldTrip, 'startsAt' | 'endsAt'>

export const tripEnd = (trip: Timed): Date => trip.endsAt ?? new Date(trip.startsAt.getTime() + DEFAULT_TRIP_MS)

/** A trip has happened, for attendance and progress, once it has started. */
export const hasStarted = (trip: Pick<FieldTrip, 'startsAt'>, now: Date): boolean => trip.startsAt.getTime() <= now.getTime()

/** The span in which a trip's check-in codes may be opened and entered. */
export function checkInSpan (trip: Timed, window: CheckInWindow): { from: Date, until: Date } {
  return {
    from: new Date(trip.startsAt.getTime() - window.beforeMinutes * 60_000),
    until: new Date(tripEnd(trip).getTime() + window.afterMinutes * 60_000)
  }
}
