/**
 * Notices due later, kept as notifier jobs under ids that name what they are for: scheduling one twice keeps one,
 * and a reminder for a trip that moved since is recognised by its old start time and sends nothing.
 */
export type ScheduledNotice =
  | { type: 'TripReminderDue', courseId: string, tripId: string, startsAt: string }
  | { type: 'DigestDue', address: string, period: string }

/** A field trip's reminder goes this long before it starts. */
export const TRIP_REMINDER_BEFORE_MS = 24 * 3600_000

export const scheduledJobId = (notice: ScheduledNotice): string => notice.type === 'TripReminderDue'
  ? `trip-reminder:${notice.courseId}:${notice.tripId}:${notice.startsAt}`
  : `digest:${notice.address}:${notice.period}`

/** The day (UTC) a notice joins the daily summary of; the summary of a day goes the next morning at `hourUtc`. */
export function digestPeriod (at: Date, hourUtc: number): { period: string, dueAt: Date } {
  const period = at.toISOString().slice(0, 10)
  const dueAt = new Date(`${period}T00:00:00.000Z`)
  dueAt.setUTCDate(dueAt.getUTCDate() + 1)
  dueAt.setUTCHours(hourUtc)
  return { period, dueAt }
}
