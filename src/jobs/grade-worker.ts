import { randomUUID } from 'node:crypto'
import { handledBatches, planLane } from '../domain/grading/lane-plan'
import type { GradeLanes, GradeOutbox, LaneOutcome, OutboxBatch, OutboxEntry, QueuedScore } from '../domain/grading/ports'
import type { SendOutcome } from '../domain/grading/score-sender'
import type { Logger } from '../domain/logger'
import { createLimiter } from '../domain/limiter'
import { createWorkLoops } from './work-loops'
import { batchesOf } from '../persistence/repositories/grade-outbox.repository'

export interface GradeWorkerOptions {
  outbox: Pick<GradeOutbox, 'nextDueLane' | 'laneBatches' | 'finishLane'>
  lanes: GradeLanes
  send: (score: QueuedScore, timestamp: Date, signal?: AbortSignal) => Promise<SendOutcome>
  /** Score requests in flight at once, across every platform. */
  concurrency: number
  /** How long a lane claim holds without renewal: a killed worker's lanes return after this. */
  leaseMs: number
  /** How soon a worker looks again for due scores it was not told about (retries, other processes' scores)... */
  pollMs: number
  /** ...doubling while it finds none, up to this (a kick or found work brings it back to `pollMs`). */
  idlePollMaxMs?: number
  /** Lanes worked at once: while one waits on the database, another's scores are on the wire. */
  loops?: number
  /** The platform pace shared with other workers: this worker counts among them while it runs. */
  pacing?: { start: () => void, stop: () => Promise<void> }
  log: Pick<Logger, 'warn' | 'error'>
}

type Unsent = Exclude<SendOutcome, { kind: 'sent' | 'dropped' }>

/** What an attempt leaves behind: the entry again, for a retry or as a permanent failure. */
function entryAfter (score: QueuedScore, outcome: Unsent): OutboxEntry {
  const { key, version, userId, userSub, body, attempts, lastError, lastErrorAt, lastStatusCode } = score
  const entry = { key, version, userId, userSub, body, attempts, lastError, lastErrorAt, lastStatusCode }
  if (outcome.kind === 'failed') return { ...entry, attempts: attempts + 1, lastError: outcome.error, lastErrorAt: new Date(), lastStatusCode: outcome.statusCode }
  return {
    ...entry,
    attempts: attempts + (outcome.counted ? 1 : 0),
    ...(outcome.error !== undefined ? { lastError: outcome.error, lastErrorAt: new Date(), lastStatusCode: outcome.statusCode ?? null } : {})
  }
}

/** New batches for what was not sent: retries per target, due when the last of them is (never early); failures one each. */
function batchesAfter (unsent: Array<{ score: QueuedScore, outcome: Unsent }>): OutboxBatch[] {
  const retries = new Map<string, Array<{ score: QueuedScore, outcome: Extract<Unsent, { kind: 'retry' }> }>>()
  const failed: OutboxBatch[] = []
  for (const { score, outcome } of unsent) {
    const target = `${String(score.courseId)} ${score.lineItemUrl}`
    if (outcome.kind === 'failed') failed.push(...batchesOf(score, [entryAfter(score, outcome)], { status: 'failed', nextAttemptAt: new Date() }))
    else retries.set(target, [...retries.get(target) ?? [], { score, outcome }])
  }
  return [...failed, ...[...retries.values()].flatMap((group) => batchesOf(group[0]?.score as QueuedScore, group.map((r) => entryAfter(r.score, r.outcome)), {
    status: 'pending', nextAttemptAt: new Date(Math.max(...group.map((r) => r.outcome.at.getTime())))
  }))]
}

/**
 * Sends the grade outbox one lane at a time. Claiming a lane gives a score timestamp later than any earlier claim
 * of it; the worker sends the newest version of each due (line item, student) with bounded concurrency, then
 * records the batch: retries and failures as copies, accepted scores as results, and deletes exactly the
 * documents it handled, so a score enqueued meanwhile stays for the next batch. If the worker dies, the claim
 * expires and the lane is sent again with a newer timestamp: nothing is lost and nothing regresses.
 */
export function createGradeWorker ({ outbox, lanes, send, concurrency, leaseMs, pollMs, idlePollMaxMs = pollMs, loops = 2, pacing, log }: GradeWorkerOptions) {
  const limit = createLimiter(concurrency)
  const work = createWorkLoops({
    round: async (stopping) => await runLane(stopping),
    pollMs,
    idlePollMaxMs,
    loops,
    onError: (err) => { log.error({ err }, 'grade worker batch failed; its lane is sent again when the claim expires') }
  })
  const wakeAt = work.wakeAt

  /** Sends one lane's due scores; false when nothing was due. */
  const runLane = async (stopping: AbortSignal): Promise<boolean> => {
    const now = new Date()
    const lane = await outbox.nextDueLane(now, await lanes.held())
    if (lane === undefined) return false
    const token = randomUUID()
    const stamp = await lanes.acquire(lane, token, leaseMs)
    if (!stamp) return true
    // Once the claim is lost, another worker sends the lane: stop sending it here.
    const lost = new AbortController()
    const halted = AbortSignal.any([stopping, lost.signal])
    const renewal = setInterval(() => {
      lanes.renew(lane, token, leaseMs).then((held) => { if (!held) lost.abort() }, (err: unknown) => { log.warn({ err }, 'grade lane renewal failed') })
    }, Math.max(100, leaseMs / 3))
    const sent: LaneOutcome['sent'] = []
    const unsent: Array<{ score: QueuedScore, outcome: Unsent }> = []
    const attempted = new Set<string>()
    let batches: OutboxBatch[] = []
    let newest = new Map<string, number>()
    try {
      batches = await outbox.laneBatches(lane)
      const plan = planLane(batches, now)
      newest = plan.newest
      await Promise.all(plan.due.map(async ({ batch, entry }) => await limit(async () => {
        if (halted.aborted) return
        const { _id: _batch, entries: _entries, ...target } = batch
        const score: QueuedScore = { ...target, ...entry }
        const outcome = await send(score, stamp, halted).catch((err: unknown): SendOutcome => {
          log.error({ err }, 'sending a score failed unexpectedly')
          return { kind: 'retry', at: new Date(Date.now() + pollMs), counted: true, error: `internal error: ${(err as Error).message}` }
        })
        if (outcome.kind === 'sent') sent.push({ score, timestamp: stamp, at: new Date() })
        else if (outcome.kind !== 'dropped') unsent.push({ score, outcome })
        attempted.add(entry.key)
      })))
    } finally {
      clearInterval(renewal)
    }
    const copies = batchesAfter(unsent)
    for (const c of copies) if (c.status === 'pending') wakeAt(c.nextAttemptAt)
    const outcome: LaneOutcome = { copies, sent, handled: handledBatches(batches, newest, attempted).map((b) => b._id) }
    // A worker that lost its lane (paused past the lease) leaves the batch to the one that took it over.
    if (!await lanes.renew(lane, token, leaseMs)) return true
    await outbox.finishLane(outcome)
    await lanes.release(lane, token)
    return true
  }

  return {
    /** Look for due scores now (after an enqueue) instead of at the next poll. */
    kick: work.kick,
    start: (): void => {
      if (work.isRunning()) return
      pacing?.start()
      work.start()
    },
    /** Cancels requests in flight, records what was done and hands the lanes back, then waits for the loops to end. */
    stop: async (): Promise<void> => { if (await work.stop()) await pacing?.stop() }
  }
}

export type GradeWorker = ReturnType<typeof createGradeWorker>
