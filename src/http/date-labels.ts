import { DateTime } from 'luxon'
import { clockText, dayAndTimeText, dayIn, placeTimeText, sameWallTime, zoneShortLabel, type TimeZone } from '../domain/time/zones'

/** How pages and messages show dates and times: instants in the viewer's zone, which every page names. */

/** A Date, or its ISO text as the status objects carry it. */
type Moment = Date | string

const dateOf = (at: Moment): Date => typeof at === 'string' ? new Date(at) : at
const DAY = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' })

/** A calendar day (kept as its UTC midnight) as people write it, e.g. "5 Dec 2026": the same in every zone. */
export const dayLabel = (day: Date): string => DAY.format(day)

/** Labels for instants as one viewer sees them. */
export function timeLabelsIn (zone: TimeZone) {
  const local = (at: Moment) => DateTime.fromJSDate(dateOf(at), { zone })
  return {
    zone,
    /** "2026-12-05 14:30", for a table whose heading names the zone. */
    minute: (at: Moment): string => local(at).toFormat('yyyy-MM-dd HH:mm'),
    /** "Sat 5 Dec 2026, 14:30 Berlin time". */
    time: (at: Moment): string => placeTimeText(dateOf(at), zone),
    /** "2026-12-05 14:30:07 Berlin time", where attempts a few seconds apart must be told apart (gradebook sends). */
    second: (at: Moment): string => `${local(at).toFormat('yyyy-MM-dd HH:mm:ss')} ${zoneShortLabel(zone)}`,
    /**
     * Something that happens somewhere, as the clocks there say it, with the viewer's own time beside it when theirs
     * differ: "Tue 9 Mar 2027, 18:00 Berlin time (12:00 Toronto time)".
     */
    happening: (at: Date, placeZone: TimeZone): string => {
      const there = placeTimeText(at, placeZone)
      if (sameWallTime(at, placeZone, zone)) return there
      const yours = dayIn(at, zone) === dayIn(at, placeZone) ? clockText(at, zone) : dayAndTimeText(at, zone)
      return `${there} (${yours} ${zoneShortLabel(zone)})`
    },
  }
}

export type TimeLabels = ReturnType<typeof timeLabelsIn>
