import type { GradeLanes } from '../../domain/grading/ports'
import type { Models } from '../database'
import type { WriteQueue } from '../write-queue'

const isDuplicateKey = (err: unknown): boolean => (err as { code?: number }).code === 11000

/** Claims on outbox lanes: at most one holder per lane, each claim with a score timestamp later than the last. */
/** `serially` runs compare-and-set writes one at a time where the server needs it (Database.writeQueue). */
export function createGradeLaneRepository ({ gradeLanes }: Pick<Models, 'gradeLanes'>, serially: WriteQueue) {
  return {
    /** Lanes someone holds now. */
    held: async (now = new Date()): Promise<number[]> =>
      (await gradeLanes.find({ until: { $gt: now } }, { _id: 1 }).lean()).map((l) => l._id),

    /**
     * Takes the lane unless someone holds it; answers the claim's score timestamp: now, or 1 ms after the previous
     * claim's if the clock has not moved past it. Compare-and-set on the previous holder and expiry.
     */
    acquire: async (lane: number, token: string, leaseMs: number, now = new Date()): Promise<Date | null> => await serially(async () => {
      const previous = await gradeLanes.findById(lane).lean()
      if (previous?.token && previous.until && previous.until > now) return null
      const stamp = new Date(Math.max(now.getTime(), (previous?.stamp.getTime() ?? 0) + 1))
      const until = new Date(now.getTime() + leaseMs)
      if (!previous) {
        try {
          await gradeLanes.create({ _id: lane, token, until, stamp })
          return stamp
        } catch (err) {
          if (isDuplicateKey(err)) return null
          throw err
        }
      }
      const taken = await gradeLanes.updateOne({ _id: lane, token: previous.token, until: previous.until, stamp: previous.stamp }, { $set: { token, until, stamp } })
      return taken.matchedCount === 1 ? stamp : null
    }),

    /** Extends the claim; false when it was lost (it expired and another worker took the lane). */
    renew: async (lane: number, token: string, until: Date): Promise<boolean> =>
      (await serially(async () => await gradeLanes.updateOne({ _id: lane, token }, { $set: { until } }))).matchedCount === 1,

    release: async (lane: number, token: string): Promise<void> => {
      await serially(async () => await gradeLanes.updateOne({ _id: lane, token }, { $set: { token: null, until: null } }))
    }
  } satisfies GradeLanes
}

export type GradeLaneRepository = ReturnType<typeof createGradeLaneRepository>
