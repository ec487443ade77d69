import { startSweeper } from './persistence/sweeper'
import type { Services } from './services'

export interface Workers { stop: () => Promise<void> }

/**
 * The background work of an app process, started apart from building it so that whoever builds the services
 * (tests, the demo) decides what runs: the grade sender (unless separate grade workers send), the mail sender (when email is on), the retry of
 * recomputes that failed, and on FerretDB the sweep of expired rows that MongoDB's TTL indexes do there.
 */
export function startWorkers ({ config, log, db, grading, mail }: Pick<Services, 'config' | 'log' | 'db' | 'grading' | 'mail'>): Workers {
  if (config.grades.worker) grading.worker.start()
  mail.worker?.start()
  grading.publisher.start(config.grades.recomputeRetrySeconds * 1000)
  const sweeper = db.kind === 'ferretdb'
    ? startSweeper(db.connection, config.sweepIntervalSeconds, (err) => log.warn({ err }, 'sweep failed'))
    : undefined
  return {
    stop: async () => {
      sweeper?.stop()
      await grading.publisher.close()
      await grading.worker.stop()
      await mail.worker?.stop()
    }
  }
}
