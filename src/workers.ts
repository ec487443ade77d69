import { startSweeper } from './persistence/sweeper'
import type { Services } from './services'

export interface Workers { stop: () => Promise<void> }

/**
 * The background work of an app process, started apart from building it so that whoever builds the services
 * (tests, the demo) decides what runs: the grade sender (unless separate grade workers send), the mail sender (when email is on), the retry of
 * recomputes that failed, and on FerretDB the sweep of expired rows that MongoDB's TTL indexes do there.
 */
/** How often emails left by a process that stopped before queuing them are looked for. */
const LEFT_OVER_NOTICES_MS = 60_000

export function startWorkers ({ config, log, db, grading, mail, notifier }: Pick<Services, 'config' | 'log' | 'db' | 'grading' | 'mail' | 'notifier'>): Workers {
  if (config.grades.worker) grading.worker.start()
  mail.worker?.start()
  const leftOver = mail.worker === null
    ? undefined
    : setInterval(() => { notifier.takeUpLeftOver().catch((err: unknown) => { log.warn({ err }, 'taking up left-over notifications failed') }) }, LEFT_OVER_NOTICES_MS)
  leftOver?.unref()
  grading.publisher.start(config.grades.recomputeRetrySeconds * 1000)
  const sweeper = db.kind === 'ferretdb'
    ? startSweeper(db.connection, config.sweepIntervalSeconds, (err) => log.warn({ err }, 'sweep failed'))
    : undefined
  return {
    stop: async () => {
      sweeper?.stop()
      clearInterval(leftOver)
      await grading.publisher.close()
      await grading.worker.stop()
      await mail.worker?.stop()
    }
  }
}
