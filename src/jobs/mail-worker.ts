import { randomUUID } from 'node:crypto'
import type { Logger } from '../domain/logger'
import { AlreadySent, MailDeliveryError, type MailBatch, type MailQueue, type MailSender, type QueuedEmail } from '../domain/notifications/ports'
import { createLimiter } from '../domain/limiter'
import { createWorkLoops } from './work-loops'

/** Claims of a lane, one holder at a time (persistence/leases.ts). */
export interface MailLanes {
  acquire: (name: string, owner: string, ms: number) => Promise<unknown>
  renew: (owner: string, ms: number) => Promise<boolean>
  release: (owner: string) => Promise<void>
}

export interface MailWorkerOptions {
  queue: MailQueue
  lanes: MailLanes
  sender: MailSender
  /** Emails on the wire at once (the SMTP pool's connections). */
  concurrency: number
  /** A killed worker's lane is taken up again this long after its last renewal. */
  leaseMs: number
  pollMs: number
  idlePollMaxMs?: number
  /** The first retry waits this long, each next one twice as long... */
  retryBaseMs: number
  /** ...up to this... */
  retryMaxMs: number
  /** ...and after this many "not now" answers the email counts as failed. */
  maxAttempts: number
  loops?: number
  log: Pick<Logger, 'warn' | 'error'>
}

type Outcome = { kind: 'sent' } | { kind: 'retry', error: string } | { kind: 'failed', error: string } | { kind: 'uncertain', error: string }

/**
 * Sends the mail outbox a lane at a time. Each email is committed (mail_log, a unique insert under its id) after
 * its data went out and before its end does, so a process killed mid-send leaves either an unfinished message the
 * server discards (not committed: the next holder of the lane sends it) or a committed one (never sent again).
 * Only an answer lost after the commit leaves an email uncertain (or a sender killed between the commit and the
 * server's answer: the next attempt finds it committed but not confirmed); it is listed for the instructor, not resent.
 */
export function createMailWorker ({ queue, lanes, sender, concurrency, leaseMs, pollMs, idlePollMaxMs, retryBaseMs, retryMaxMs, maxAttempts, loops = 2, log }: MailWorkerOptions) {
  const limit = createLimiter(concurrency)
  const work = createWorkLoops({
    round: async (stopping) => await sendLane(stopping),
    pollMs,
    idlePollMaxMs,
    loops,
    onError: (err) => { log.error({ err }, 'mail worker round failed; its lane is sent again when the claim expires') }
  })
  const held = new Set<number>()

  const deliver = async (email: QueuedEmail): Promise<Outcome> => {
    let committed = false
    try {
      await sender.send(email.message, async () => { committed = await queue.commit(email); return committed })
      await queue.confirm(email.message.messageId)
      return { kind: 'sent' }
    } catch (err) {
      if (err instanceof AlreadySent) return { kind: 'sent' }
      const error = err instanceof MailDeliveryError ? err.message : `internal error: ${(err as Error).message}`
      if (err instanceof MailDeliveryError && err.permanent) return { kind: 'failed', error }
      if (!committed) return { kind: 'retry', error }
      // The server answered after the commit (4xx): it did not take the email, which may go again.
      if (err instanceof MailDeliveryError && err.responseCode !== undefined) {
        await queue.withdraw(email.message.messageId)
        return { kind: 'retry', error }
      }
      return { kind: 'uncertain', error }
    }
  }

  const retryAt = (attempts: number): Date =>
    new Date(Date.now() + Math.min(retryMaxMs, retryBaseMs * 2 ** (attempts - 1)) * (0.75 + Math.random() / 4))

  /** Sends one lane's due emails; false when none was due. */
  const sendLane = async (stopping: AbortSignal): Promise<boolean> => {
    const now = new Date()
    const owner = randomUUID()
    let lane: number | undefined
    // The first due lane nobody holds; when others hold them all, this loop waits like an idle one.
    for (const due of (await queue.dueLanes(now)).filter((l) => !held.has(l))) {
      if (await lanes.acquire(`mail-lane:${due}`, owner, leaseMs) !== null) { lane = due; break }
    }
    if (lane === undefined) return false
    held.add(lane)
    const lost = new AbortController()
    const halted = AbortSignal.any([stopping, lost.signal])
    const renewal = setInterval(() => {
      lanes.renew(owner, leaseMs).then((still) => { if (!still) lost.abort() }, (err: unknown) => { log.warn({ err }, 'mail lane renewal failed') })
    }, Math.max(100, leaseMs / 3))
    try {
      const batches = await queue.laneBatches(lane, now)
      for (const batch of batches) {
        if (halted.aborted) break
        await sendBatch(batch, halted)
      }
    } finally {
      clearInterval(renewal)
      held.delete(lane)
      await lanes.release(owner)
    }
    return true
  }

  /**
   * A batch an earlier attempt began: its emails committed but never confirmed were on the wire when that sender
   * stopped. The server may or may not have them; they are not sent again (that could deliver twice) but listed for
   * the instructor as uncertain, so none is lost without a trace.
   */
  const listInFlight = async (batch: MailBatch, committed: ReadonlySet<string>): Promise<void> => {
    const confirmed = await queue.confirmed([...committed])
    for (const email of batch.emails.filter((e) => committed.has(e.message.messageId) && !confirmed.has(e.message.messageId))) {
      await queue.fail({
        emailId: email.message.messageId, kind: email.kind, courseId: email.courseId, to: email.message.to, subject: email.message.subject,
        state: 'uncertain', error: 'the sender stopped while this email was on its way: it may not have arrived', at: new Date()
      })
    }
  }

  const sendBatch = async (batch: MailBatch, halted: AbortSignal): Promise<void> => {
    const resumed = !await queue.begin(batch.id)
    const done = resumed ? await queue.committed(batch.emails.map((e) => e.message.messageId)) : new Set<string>()
    if (resumed) await listInFlight(batch, done)
    const retries: QueuedEmail[] = []
    let finished = true
    await Promise.all(batch.emails.filter((e) => !done.has(e.message.messageId)).map(async (email) => await limit(async () => {
      if (halted.aborted) { finished = false; return }
      const outcome = await deliver(email)
      if (outcome.kind === 'sent') return
      const attempts = email.attempts + (outcome.kind === 'retry' ? 1 : 0)
      if (outcome.kind === 'retry' && attempts < maxAttempts) {
        retries.push({ ...email, attempts, lastError: outcome.error })
        return
      }
      const error = outcome.kind === 'retry' ? `gave up after ${attempts} attempts: ${outcome.error}` : outcome.error
      await queue.fail({
        emailId: email.message.messageId, kind: email.kind, courseId: email.courseId, to: email.message.to, subject: email.message.subject,
        state: outcome.kind === 'uncertain' ? 'uncertain' : 'failed', error, at: new Date()
      })
    })))
    // Stopped midway: the batch stays whole, and the next attempt skips what this one committed.
    if (!finished) return
    const later = retries.map((email) => ({ email, dueAt: retryAt(email.attempts) }))
    await queue.finish([batch.id], later)
    for (const { dueAt } of later) work.wakeAt(dueAt)
  }

  return {
    kick: work.kick,
    start: (): void => { work.start() },
    stop: async (): Promise<void> => { await work.stop() }
  }
}

export type MailWorker = ReturnType<typeof createMailWorker>
