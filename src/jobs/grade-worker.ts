import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import type { SendOutcome } from '../domain/grading/score-sender'
import type { ClaimedScore, GradeOutboxRepository } from '../persistence/repositories/grade-outbox.repository'

export interface GradeWorkerOptions {
  outbox: Pick<GradeOutboxRepository, 'nextDueLane' | 'claimLane' | 'extendLease' | 'expireClaim' | 'markSent' | 'release' | 'fail'>
  send: (score: ClaimedScore, timestamp: Date, signal?: AbortSignal) => Promise<SendOutcome>
  /** Score requests in flight at once, across every platform. */
  concurrency: number
  /** How long a claim holds without a heartbeat: a killed worker's claims return after this. */
  leaseMs: number
  /** How often an idle worker looks for due scores it was not told about (retries, other processes' scores). */
  pollMs: number
  /** Claim loops: while one loop waits on the database, the other's scores are on the wire. */
  loops?: number
  log: Pick<FastifyBaseLogger, 'warn' | 'error'>
}

function createLimiter (size: number) {
  let active = 0
  const waiting: Array<() => void> = []
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (active >= size) await new Promise<void>((resolve) => waiting.push(resolve))
    active++
    try { return await work() } finally { active--; waiting.shift()?.() }
  }
}

/**
 * Sends the grade outbox. A loop claims every due record of one lane at once (status sending, a lease, and the
 * claim time as the score timestamp), sends them with bounded concurrency, records each retry or failure
 * individually, then marks the rest sent with one write, compare-and-set on the claim token: a record replaced by a
 * newer score meanwhile lost the token and stays pending. If a write fails or the process dies, the lease runs out
 * and the batch is sent again, each with a newer timestamp, so nothing is lost and nothing regresses. Stopping
 * mid-batch ends the claim at once, so the next worker takes the batch over without waiting for the lease.
 */
export function createGradeWorker ({ outbox, send, concurrency, leaseMs, pollMs, loops = 2, log }: GradeWorkerOptions) {
  const limit = createLimiter(concurrency)
  const sleepers = new Set<() => void>()
  let running: Promise<void[]> | undefined
  let stopping = new AbortController()
  let wakeTimer: NodeJS.Timeout | undefined
  let wakeAtMs = Infinity

  const kick = (): void => { for (const wake of [...sleepers]) wake() }
  const idle = async (ms: number): Promise<void> => await new Promise<void>((resolve) => {
    const done = (): void => { clearTimeout(timer); sleepers.delete(done); resolve() }
    const timer = setTimeout(done, ms)
    sleepers.add(done)
  })
  const wakeAt = (at: Date): void => {
    if (at.getTime() >= wakeAtMs) return
    clearTimeout(wakeTimer)
    wakeAtMs = at.getTime()
    wakeTimer = setTimeout(() => { wakeAtMs = Infinity; kick() }, Math.max(0, wakeAtMs - Date.now()) + 5)
  }

  const record = async (score: ClaimedScore, token: string, outcome: SendOutcome): Promise<void> => {
    if (outcome.kind === 'retry') {
      await outbox.release(score._id, token, outcome)
      wakeAt(outcome.at)
    } else if (outcome.kind === 'failed') {
      await outbox.fail(score._id, token, outcome.error, outcome.statusCode)
    }
  }

  /** Claims and sends one lane; false when nothing was due. */
  const runBatch = async (): Promise<boolean> => {
    const now = new Date()
    const lane = await outbox.nextDueLane(now)
    if (lane === undefined) return false
    const token = randomUUID()
    const claimed = await outbox.claimLane(lane, token, now, leaseMs)
    if (claimed.length === 0) return true
    const heartbeat = setInterval(() => {
      outbox.extendLease(token, new Date(Date.now() + leaseMs)).catch((err: unknown) => { log.warn({ err }, 'grade outbox lease renewal failed') })
    }, Math.max(100, leaseMs / 3))
    let allRecorded = true
    let skipped = 0
    try {
      await Promise.all(claimed.map(async (score) => await limit(async () => {
        if (stopping.signal.aborted) { skipped++; return }
        const outcome = await send(score, now, stopping.signal).catch((err: unknown): SendOutcome => {
          log.error({ err }, 'sending a score failed unexpectedly')
          return { kind: 'retry', at: new Date(Date.now() + pollMs), counted: true, error: `internal error: ${(err as Error).message}` }
        })
        await record(score, token, outcome).catch((err: unknown) => {
          allRecorded = false
          log.error({ err }, 'could not record a score attempt; its batch will be sent again when the lease expires')
        })
      })))
    } finally {
      clearInterval(heartbeat)
    }
    if (skipped > 0) await outbox.expireClaim(token)
    else if (allRecorded) await outbox.markSent(token, new Date())
    return true
  }

  const loop = async (): Promise<void> => {
    while (!stopping.signal.aborted) {
      let worked = false
      try {
        worked = await runBatch()
      } catch (err) {
        log.error({ err }, 'grade worker batch failed')
      }
      if (!worked && !stopping.signal.aborted) await idle(pollMs)
    }
  }

  return {
    /** Look for due scores now (after an enqueue) instead of at the next poll. */
    kick,
    start: (): void => {
      if (running) return
      stopping = new AbortController()
      running = Promise.all(Array.from({ length: loops }, loop))
    },
    /** Cancels requests in flight, hands unsent claims back and waits for the loops to end. */
    stop: async (): Promise<void> => {
      if (!running) return
      stopping.abort()
      kick()
      clearTimeout(wakeTimer)
      wakeAtMs = Infinity
      await running
      running = undefined
    }
  }
}

export type GradeWorker = ReturnType<typeof createGradeWorker>
