import { startSweeper } from './persistence/sweeper'
import type { Services } from './services'

export interface Workers { stop: () => Promise<void> }

/**
 * The background work of an app process, started apart from building it so that whoever builds the services
 * (tests, the demo) decides what runs: the grade sender (unless separate grade workers send), the mail sender (when email is on), the notices due, the retry of
 * recomputes that failed, and on FerretDB the sweep of expired rows that MongoDB's TTL indexes do there.
 */
/** How often notices due (reminders, daily summaries, and those a stopped process left) are looked for. */
const DUE_NOTICES_MS = 60_000

export function startWorkers ({ config, log, db, grading, mail, notices }: Pick<Services, 'config' | 'log' | 'db' | 'grading' | 'mail' | 'notices'>): Workers {
  if (config.grades.worker) grading.worker.start()
  mail.worker?.start()
  const dueNotices = setInterval(() => { notices.notifier.takeUpDue().catch((err: unknown) => { log.warn({ err }, 'taking up notices due failed') }) }, DUE_NOTICES_MS)
  dueNotices.unref()
  grading.publisher.start(config.grades.recomputeRetrySeconds * 1000)
  const sweeper = db.kind === 'ferretdb'
    ? startSweeper(db.connection, config.sweepIntervalSeconds, (err) => log.warn({ err }, 'sweep failed'))
    : undefined
  return {
    stop: async () => {
      sweeper?.stop()
      clearInterval(dueNotices)
      await grading.publisher.close()
      await grading.worker.stop()
      await mail.worker?.stop()
    }
  }
}
