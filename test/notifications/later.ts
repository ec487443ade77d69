import type { FastifyInstance } from 'fastify'

/** A moment `n` days from now (negative: ago). */
export const inDays = (n: number): Date => new Date(Date.now() + n * 24 * 3600_000)

/** Runs what the notifier has due by `at` (reminders, summaries, a course's morning look), as its minute tick would then. */
export async function runDueBy (app: FastifyInstance, at: Date): Promise<void> {
  await app.notices.notifier.takeUpDue(at)
  await app.settled()
}
