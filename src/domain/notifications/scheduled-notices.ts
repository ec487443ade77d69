import { createHash } from 'node:crypto'

/**
 * Notices due later, kept as notifier jobs under ids that name what they are for: scheduling one twice keeps one,
 * and a reminder for a trip that moved since is recognised by its old start time and sends nothing.
 */
export type ScheduledNotice =
  | { type: 'TripReminderDue', courseId: string, tripId: string, startsAt: string }
  /** A trip's start, when its attendance begins to count (announced as TripStarted; nothing if it moved since). */
  | { type: 'TripStartDue', courseId: string, tripId: string, startsAt: string }
  | { type: 'DigestDue', address: string, period: string }
  /** A course's morning look: pairs gone quiet, milestones coming, Monday's summary (each look schedules the next day's). */
  | { type: 'DailyLook', courseId: string, day: string }

/** A field trip's reminder goes this long before it starts. */
export const TRIP_REMINDER_BEFORE_MS = 24 * 3600_000

/** Letters, digits, `.-_` only: the emails of a job take their ids (and Message-IDs) from it. */
export function scheduledJobId (notice: ScheduledNotice): string {
  switch (notice.type) {
    case 'TripReminderDue': return `trip-reminder.${notice.courseId}.${notice.tripId}.${Date.parse(notice.startsAt)}`
    case 'TripStartDue': return `trip-start.${notice.courseId}.${notice.tripId}.${Date.parse(notice.startsAt)}`
    case 'DigestDue': return `digest.${addressKey(notice.address)}.${notice.period}`
    case 'DailyLook': return `daily-look.${notice.courseId}.${notice.day}`
  }
}

/** An address as a key that shows nothing of it. */
export const addressKey = (address: string): string => createHash('sha256').update(address).digest('base64url').slice(0, 22)

/** The look of the morning after `after`'s day, at `hourUtc`. */
export function nextDailyLook (courseId: string, after: Date, hourUtc: number): { notice: ScheduledNotice, dueAt: Date } {
  const { period: day, dueAt } = digestPeriod(after, hourUtc)
  return { notice: { type: 'DailyLook', courseId, day }, dueAt }
}

/** The day (UTC) a notice joins the daily summary of; the summary of a day goes the next morning at `hourUtc`. */
export function digestPeriod (at: Date, hourUtc: number): { period: string, dueAt: Date } {
  const period = at.toISOString().slice(0, 10)
  const dueAt = new Date(`${period}T00:00:00.000Z`)
  dueAt.setUTCDate(dueAt.getUTCDate() + 1)
  dueAt.setUTCHours(hourUtc)
  return { period, dueAt }
}
