/** How pages and messages show dates. Mentorlink keeps and shows every time in UTC, so labels say so. */

/** A Date, or its ISO text as the status objects carry it. */
type Moment = Date | string

const isoOf = (at: Moment): string => typeof at === 'string' ? at : at.toISOString()
const DAY = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' })

/** A day as people write it, e.g. "5 Dec 2026". */
export const dayLabel = (at: Date): string => DAY.format(at)

/** "2026-12-05 14:30", for a table whose heading already says UTC. */
export const minuteText = (at: Moment): string => isoOf(at).slice(0, 16).replace('T', ' ')

/** "2026-12-05 14:30 UTC". */
export const timeLabel = (at: Moment): string => `${minuteText(at)} UTC`

/** "2026-12-05 14:30:07 UTC", where attempts a few seconds apart must be told apart (gradebook sends). */
export const secondLabel = (at: Moment): string => `${isoOf(at).slice(0, 19).replace('T', ' ')} UTC`
