import type { GradeLanes } from '../../domain/grading/ports'
import type { Models } from '../database'
import { createLeases } from '../leases'
import { OUTBOX_LANES } from '../models/grade-outbox.model'

const laneLease = (lane: number): string => `grade-lane:${lane}`
const LANES = Array.from({ length: OUTBOX_LANES }, (_, lane) => lane)

/**
 * Claims on outbox lanes, each a `leases` term (`grade-lane:<n>`), so one process at most holds a lane on MongoDB
 * and FerretDB alike. A term's start is later than the previous term's: it is the timestamp of the scores sent
 * under it, so every (line item, student), which always falls in the same lane, is sent with increasing timestamps.
 */
export function createGradeLaneRepository ({ leases: leaseModel }: Pick<Models, 'leases'>) {
  const leases = createLeases({ leases: leaseModel })
  return {
    /** Lanes someone holds now. */
    held: async (): Promise<number[]> => {
      const until = await Promise.all(LANES.map(async (lane) => await leases.heldUntil(laneLease(lane))))
      return LANES.filter((lane) => until[lane] !== null)
    },

    /** Takes the lane unless someone holds it; answers the claim's score timestamp. */
    acquire: async (lane: number, token: string, leaseMs: number): Promise<Date | null> =>
      (await leases.acquire(laneLease(lane), token, leaseMs))?.startedAt ?? null,

    /** Extends the claim; false when it was lost (it ran out, or another worker took the lane). */
    renew: async (_lane: number, token: string, leaseMs: number): Promise<boolean> => await leases.renew(token, leaseMs),

    release: async (_lane: number, token: string): Promise<void> => { await leases.release(token) }
  } satisfies GradeLanes
}

export type GradeLaneRepository = ReturnType<typeof createGradeLaneRepository>
