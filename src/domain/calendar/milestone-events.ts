import { createHash } from 'node:crypto'
import type { Id } from '../ids'
import { addDays, dayToDate, type Day } from '../term/calendar-day'
import type { Milestone } from '../term/term'
import { sequenceOf, type CalendarEvent } from './calendar-event'

/** A milestone with the key its download and calendar entry go by. */
export interface KeyedMilestone extends Milestone { key: string }

/**
 * Milestones have no id of their own (the instructor edits them as rows), so each is known by a hash of its title:
 * moving it to another date or adding others keeps its key, and a calendar moves the entry it already has. Two
 * milestones of the same title are told apart by their order.
 */
export function keyedMilestones (milestones: readonly Milestone[]): KeyedMilestone[] {
  const seen = new Map<string, number>()
  return milestones.map((m) => {
    const hash = createHash('sha256').update(m.title).digest('hex').slice(0, 16)
    const n = (seen.get(hash) ?? 0) + 1
    seen.set(hash, n)
    return { ...m, key: n === 1 ? hash : `${hash}-${n}` }
  })
}

export const milestoneUid = (courseId: Id, key: string): string => `milestone-${courseId}-${key}@mentorlink`

/** The course as its milestones' entries need it; `changedAt` is when the course (and so its term) last changed. */
export interface MilestoneCourse { title: string, changedAt: Date }

/** A milestone as a whole-day calendar event. */
export const milestoneEvent = (courseId: Id, milestone: KeyedMilestone, course: MilestoneCourse, url?: string): CalendarEvent => ({
  uid: milestoneUid(courseId, milestone.key),
  title: `Milestone: ${milestone.title}`,
  startsAt: dayToDate(milestone.date),
  endsAt: dayToDate(addDays(milestone.date as Day, 1)),
  allDay: true,
  timeZone: 'UTC',
  place: '',
  description: `A milestone of ${course.title}.`,
  ...(url !== undefined ? { url } : {}),
  sequence: sequenceOf(course.changedAt),
  changedAt: course.changedAt,
  cancelled: false
})
