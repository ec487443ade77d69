import type { Logger } from '../logger'
import type { PaceStore, SharedPace } from './ports'

export interface SharedPacingOptions {
  store: PaceStore
  workerId: string
  log: Pick<Logger, 'warn'>
  /** How old the shared pace and the worker count may be when read (a pause is seen by the others this late at most). */
  refreshMs?: number
  announceMs?: number
  now?: () => number
}

/**
 * The platform pacer's view of what every worker sending to a platform shares, kept in the database: the pause a
 * refusal imposed and the pace allowed across all workers, and how many workers send. Reads are synchronous from a
 * short cache refreshed in the background, so pacing a send never waits on the database.
 */
export function createSharedPacing ({ store, workerId, log, refreshMs = 1000, announceMs = 5000, now = Date.now }: SharedPacingOptions) {
  const paces = new Map<string, { pace: SharedPace | null, readAt: number, reading: boolean }>()
  let workers = 1
  let workersReadAt = 0
  let announcer: NodeJS.Timeout | undefined
  const warn = (what: string) => (err: unknown): void => { log.warn({ err }, what) }

  const refresh = (platform: string): void => {
    const entry = paces.get(platform) ?? { pace: null, readAt: 0, reading: false }
    paces.set(platform, entry)
    if (entry.reading || now() - entry.readAt < refreshMs) return
    entry.reading = true
    store.read(platform).then((pace) => { entry.pace = pace; entry.readAt = now() }, warn('reading a shared platform pace failed')).finally(() => { entry.reading = false })
  }
  const countWorkers = (): void => {
    if (now() - workersReadAt < refreshMs) return
    workersReadAt = now()
    store.workers().then((n) => { workers = Math.max(1, n) }, warn('counting grade workers failed'))
  }

  return {
    /** The shared pace as last read (at most `refreshMs` old once the platform was asked for). */
    view: (platform: string): SharedPace | null => {
      refresh(platform)
      return paces.get(platform)?.pace ?? null
    },
    /** Shares a pause or pace this worker learned. */
    publish: (platform: string, pace: SharedPace): void => {
      paces.set(platform, { pace, readAt: now(), reading: false })
      store.write(platform, pace).catch(warn('sharing a platform pace failed'))
    },
    /** Workers sending now, this one included. */
    workers: (): number => {
      countWorkers()
      return workers
    },
    start: (): void => {
      const announce = (): void => { store.announce(workerId).catch(warn('announcing a grade worker failed')) }
      announce()
      announcer = setInterval(announce, announceMs)
      announcer.unref()
    },
    stop: async (): Promise<void> => {
      clearInterval(announcer)
      await store.leave(workerId).catch(warn('a stopping grade worker could not sign off'))
    }
  }
}

export type SharedPacing = ReturnType<typeof createSharedPacing>
