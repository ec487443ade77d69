import type { PaceStore, SharedPace } from '../../domain/grading/ports'
import { retryWhenBusy } from '../busy'
import type { Models } from '../database'
import { isDuplicateKey } from '../duplicate-key'

/** A worker not seen for this long has stopped (announcements come every few seconds). */
const GONE_AFTER_MS = 15_000

const upsert = async (write: () => Promise<unknown>): Promise<void> => {
  try {
    await retryWhenBusy(write)
  } catch (err) {
    // Two first writes at once: the other one's insert won, and this one's values are as good.
    if (!isDuplicateKey(err)) throw err
  }
}

/** The pace grade workers share per platform, and which workers are sending (models/platform-pace.model.ts). */
export function createPlatformPaceRepository ({ platformPaces, gradeWorkers }: Pick<Models, 'platformPaces' | 'gradeWorkers'>) {
  return {
    read: async (platform: string): Promise<SharedPace | null> => {
      const doc = await platformPaces.findById(platform).lean()
      return doc ? { pausedUntil: doc.pausedUntil.getTime(), intervalMs: doc.intervalMs } : null
    },
    write: async (platform: string, pace: SharedPace): Promise<void> => {
      await upsert(async () => await platformPaces.updateOne({ _id: platform }, { $set: { pausedUntil: new Date(pace.pausedUntil), intervalMs: pace.intervalMs } }, { upsert: true }))
    },
    announce: async (workerId: string): Promise<void> => {
      await upsert(async () => await gradeWorkers.updateOne({ _id: workerId }, { $set: { seenAt: new Date() } }, { upsert: true }))
      // Killed workers never sign off: their rows go once long gone (a handful a day at most).
      await gradeWorkers.deleteMany({ seenAt: { $lt: new Date(Date.now() - 100 * GONE_AFTER_MS) } })
    },
    leave: async (workerId: string): Promise<void> => { await gradeWorkers.deleteOne({ _id: workerId }) },
    workers: async (): Promise<number> => {
      return await gradeWorkers.countDocuments({ seenAt: { $gte: new Date(Date.now() - GONE_AFTER_MS) } })
    }
  } satisfies PaceStore
}
