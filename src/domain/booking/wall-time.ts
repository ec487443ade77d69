import { DateTime, IANAZone } from 'luxon'
import type { Day } from '../term/calendar-day'

/**
 * The one place a wall-clock time in a time zone becomes an instant (Luxon knows the zones' daylight-saving rules).
 * A time the clocks skip when they go forward is taken as the same length of time after the change (02:30 on the
 * night clocks jump from 02:00 to 03:00 is 03:30); a time they pass twice when they go back is the second, on the
 * clock's winter time (Luxon's choice).
 */
export function instantAt (day: Day, time: string, zone: string): Date {
  return DateTime.fromISO(`${day}T${time}`, { zone }).toJSDate()
}

/** An IANA time zone name such as 'Europe/Berlin' (or 'UTC'). */
export const isTimeZone = (zone: string): boolean => IANAZone.isValidZone(zone)

/** The ISO weekday of a calendar day: 1 is Monday, 7 is Sunday. */
export const weekdayOf = (day: Day): number => ((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7) + 1
