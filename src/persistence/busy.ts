import { setTimeout as sleep } from 'node:timers/promises'

/**
 * SQLite's "database is locked" (or "database table is locked") as the embedded FerretDB passes it on: another
 * connection held the database longer than SQLite's own busy wait. Transient, and the write it refused did not happen.
 */
export const isBusy = (err: unknown): boolean => /database (table )?is locked|SQLITE_(BUSY|LOCKED)/i.test(String((err as Error | undefined)?.message ?? ''))

const ATTEMPTS = 6
const BASE_MS = 10

/** Runs a write again while the embedded database answers "busy", with a short jittered backoff (about 0.6 s at most). */
export async function retryWhenBusy<T> (write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write()
    } catch (err) {
      if (!isBusy(err) || attempt >= ATTEMPTS) throw err
      await sleep(BASE_MS * 2 ** attempt * (0.5 + Math.random() / 2))
    }
  }
}
