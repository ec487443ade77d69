import type { Id } from '../ids'
import { addDays, type Day } from '../term/calendar-day'
import { weekdayOf } from '../term/calendar-day'
import { instantAt } from '../time/zones'

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const

/** Where a session takes place: a place, a video link, or both. */
export interface Venue { place: string, videoLink: string }

/** A mentor's published availability: every week on a weekday between two days, or once on a day; in the mentor's zone. */
export interface Slot extends Venue {
  _id: Id
  courseId: Id
  mentorUserId: Id
  kind: 'weekly' | 'once'
  /** 1 (Monday) to 7 (Sunday), for a weekly slot. */
  weekday: number | null
  /** A weekly slot's first and last day; a one-off slot's day is `from` (and `until`). */
  from: Day
  until: Day
  /** 'HH:MM' on the mentor's clock. */
  startTime: string
  minutes: number
  timeZone: string
  createdAt: Date
}

/** A concrete time a slot offers, as an instant. */
export interface OpenTime extends Venue { startsAt: Date, minutes: number, slotId: Id, timeZone: string }

/** Something that takes a stretch of the mentor's time. */
export interface Stretch { startsAt: Date, minutes: number }

const endOf = (s: Stretch): number => s.startsAt.getTime() + s.minutes * 60_000

export const overlaps = (a: Stretch, b: Stretch): boolean => a.startsAt.getTime() < endOf(b) && b.startsAt.getTime() < endOf(a)

/** The times a slot offers on the days from `from` to `until` (the mentor's days), as instants. */
export function timesOf (slot: Slot, from: Day, until: Day): OpenTime[] {
  const first = slot.from > from ? slot.from : from
  const last = slot.until < until ? slot.until : until
  const times: OpenTime[] = []
  for (let day = first; day <= last; day = addDays(day, 1)) {
    if (slot.kind === 'weekly' && weekdayOf(day) !== slot.weekday) continue
    times.push({ startsAt: instantAt(day, slot.startTime, slot.timeZone), minutes: slot.minutes, slotId: slot._id, place: slot.place, videoLink: slot.videoLink, timeZone: slot.timeZone })
  }
  return times
}

/** Every time the slots offer between the days, after `after`, earliest first. */
export function openTimes (slots: readonly Slot[], from: Day, until: Day, after: Date): OpenTime[] {
  return slots.flatMap((s) => timesOf(s, from, until)).filter((t) => t.startsAt > after).sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())
}

/** The first of `taken` a new time clashes with, for each new time in turn; null when none does. */
export function firstClash<T extends Stretch> (times: readonly Stretch[], taken: readonly T[]): { time: Stretch, with: T } | null {
  for (const time of times) {
    const other = taken.find((t) => overlaps(time, t))
    if (other !== undefined) return { time, with: other }
  }
  return null
}
