import { DateTime, IANAZone } from 'luxon'

/** An IANA time zone name such as 'Europe/Berlin'. */
export type TimeZone = string

/** Zones already found valid: every signed-in request checks up to three, and each check builds an Intl formatter. */
const knownZones = new Set<string>()

export function isTimeZone (name: unknown): name is TimeZone {
  if (typeof name !== 'string' || name.length > 64) return false
  if (knownZones.has(name)) return true
  if (!IANAZone.isValidZone(name)) return false
  knownZones.add(name)
  return true
}

/** Names Node's ICU still lists under their old spelling, which people no longer recognise. */
const RENAMED: Record<string, TimeZone> = {
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Asia/Rangoon': 'Asia/Yangon',
  'Europe/Kiev': 'Europe/Kyiv',
  'America/Godthab': 'America/Nuuk',
  'Atlantic/Faeroe': 'Atlantic/Faroe'
}

/** Where the zone a page shows times in came from, most specific first. */
export const ZONE_SOURCES = ['launch', 'browser', 'course', 'institution'] as const
export type ZoneSource = typeof ZONE_SOURCES[number]

export interface ViewerZone { zone: TimeZone, from: ZoneSource }

/**
 * The zone a person sees times in: the LMS's word for them (a launch's custom `timezone`), else what their browser
 * reported, else the course's zone, else the institution's. Names that are not IANA zones (an LMS that sent its
 * substitution variable unexpanded) are passed over.
 */
export function viewerZone (candidates: Partial<Record<ZoneSource, unknown>>, fallback: TimeZone = 'UTC'): ViewerZone {
  for (const from of ZONE_SOURCES) {
    const zone = candidates[from]
    if (isTimeZone(zone)) return { zone, from }
  }
  return { zone: fallback, from: 'institution' }
}

/** What a datetime-local input holds: a wall-clock date and time with no zone. */
const WALL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/

export type WallTimeResult = { ok: true, at: Date } | { ok: false, reason: 'format' | 'missing' }

/**
 * The instant a wall-clock time names in a zone. A time the clocks skip (spring forward) does not exist there and is
 * refused rather than silently moved; a time that happens twice (fall back) is the first of the two.
 */
export function instantOfWallTime (wall: string, zone: TimeZone): WallTimeResult {
  if (!WALL_TIME.test(wall)) return { ok: false, reason: 'format' }
  const local = DateTime.fromISO(wall, { zone })
  if (!local.isValid) return { ok: false, reason: 'format' }
  if (local.toFormat("yyyy-MM-dd'T'HH:mm") !== wall) return { ok: false, reason: 'missing' }
  return { ok: true, at: local.toJSDate() }
}

/**
 * A recurring slot's wall time as an instant, never refused: a time the clocks skip is taken as the same length of
 * time after the change (02:30 on the night clocks jump from 02:00 to 03:00 is 03:30); a time they pass twice is
 * the second, on winter time (Luxon's choice).
 */
export const instantAt = (day: string, time: string, zone: TimeZone): Date => DateTime.fromISO(`${day}T${time}`, { zone }).toJSDate()

/** The wall-clock value a datetime-local input shows for an instant in a zone. */
export const wallTimeOf = (at: Date, zone: TimeZone): string => DateTime.fromJSDate(at, { zone }).toFormat("yyyy-MM-dd'T'HH:mm")

/** The calendar day an instant falls on in a zone ('YYYY-MM-DD'). */
export const dayIn = (at: Date, zone: TimeZone): string => DateTime.fromJSDate(at, { zone }).toISODate() as string

/** "Tue 9 Mar 2027, 18:00": a day and time as people read them. */
export const dayAndTimeText = (at: Date, zone: TimeZone): string => DateTime.fromJSDate(at, { zone }).setLocale('en-GB').toFormat('ccc d LLL yyyy, HH:mm')

/** "Tue 9 Mar 2027, 18:00 Berlin time": an instant as the clocks of a zone say it, the zone named. */
export const placeTimeText = (at: Date, zone: TimeZone): string => `${dayAndTimeText(at, zone)} ${zoneShortLabel(zone)}`

/** "18:00", for the second time of a span on the same day. */
export const clockText = (at: Date, zone: TimeZone): string => DateTime.fromJSDate(at, { zone }).toFormat('HH:mm')

/** 'Europe/Berlin' as people say it: "Berlin (Europe)"; UTC stays UTC; old spellings (Asia/Calcutta) as people know them now. */
export function zoneLabel (zone: TimeZone): string {
  const parts = (RENAMED[zone] ?? zone).split('/')
  if (parts.length < 2) return zone
  const city = (parts[parts.length - 1] as string).replace(/_/g, ' ')
  return `${city} (${parts.slice(0, -1).join('/').replace(/_/g, ' ')})`
}

/** "Berlin time", "UTC": how a table heading or a line names the zone its times are in. */
export function zoneShortLabel (zone: TimeZone): string {
  const city = (RENAMED[zone] ?? zone).split('/').pop() as string
  return zone.includes('/') ? `${city.replace(/_/g, ' ')} time` : zone
}

let zonesKnown: TimeZone[] | undefined

/** Every zone the runtime knows, UTC first, for a zone picker. */
export function allTimeZones (): TimeZone[] {
  zonesKnown ??= ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC').map((z) => RENAMED[z] ?? z).sort()]
  return zonesKnown
}

/** Whether two zones show the same wall time at an instant (no need to show a second time beside the first). */
export const sameWallTime = (at: Date, a: TimeZone, b: TimeZone): boolean => wallTimeOf(at, a) === wallTimeOf(at, b)
