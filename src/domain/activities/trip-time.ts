import { parseDateTime } from '../term/calendar-day'
import { instantOfWallTime, placeTimeText, zoneLabel, type TimeZone } from '../time/zones'
import { invalidField } from './field-error'

/** Where a trip's clock is read: its own zone; trips saved before trips had one were entered in UTC. */
export const tripZone = (trip: { timeZone?: string | null }): TimeZone => trip.timeZone ?? 'UTC'

/** An instant given with its own offset ('…Z', '…+01:00'), as API callers send one; a form's wall time has none. */
const HAS_OFFSET = /(Z|[+-]\d{2}:\d{2})$/

/**
 * The instant a trip starts or ends: an API caller's ISO time with an offset as it is, a form's wall-clock time in the zone
 * where the trip happens. A time the clocks skip there is refused, not moved.
 */
export function tripInstantOf (text: string, zone: TimeZone, field: 'startsAt' | 'endsAt'): Date {
  if (HAS_OFFSET.test(text)) {
    const at = parseDateTime(text)
    if (at === null) throw invalidField(field, 'must be a date and time as YYYY-MM-DDTHH:MM')
    return at
  }
  const local = instantOfWallTime(text.slice(0, 16), zone)
  if (local.ok) return local.at
  if (local.reason === 'missing') throw invalidField(field, `does not exist in ${zoneLabel(zone)}: the clocks go forward at that hour that night; choose another time`)
  throw invalidField(field, 'must be a date and time as YYYY-MM-DDTHH:MM')
}

/** "Tue 9 Mar 2027, 18:00 Berlin time": an instant as the clocks at the trip's place say it, for messages. */
export const tripPlaceTime = (trip: { timeZone?: string | null }, at: Date): string => placeTimeText(at, tripZone(trip))
