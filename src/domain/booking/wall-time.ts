import type { Day } from '../term/calendar-day'

export { instantAt, isTimeZone } from '../time/zones'

/** The ISO weekday of a calendar day: 1 is Monday, 7 is Sunday. */
export const weekdayOf = (day: Day): number => ((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7) + 1
