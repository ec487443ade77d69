import type { PlatformPacer } from './platform-pacer'
import { AgsRequestError, type AgsPort, type LineItemGoneHandler, type QueuedScore } from './ports'
import { backoffMs, classifyAnswer, type BackoffOptions } from './retry-policy'

/** What became of one attempt; the worker records it. */
export type SendOutcome =
  | { kind: 'sent' }
  /** Try again at `at`; `counted` attempts lengthen the next backoff (a deferral for a paused platform does not). */
  | { kind: 'retry', at: Date, counted: boolean, error?: string, statusCode?: number }
  | { kind: 'failed', error: string, statusCode: number }
  /** Not sent and not to be: its line item is gone, and the score is queued again for the course's new one. */
  | { kind: 'dropped', reason: string }

export interface ScoreSenderOptions {
  ags: Pick<AgsPort, 'postScore'>
  pacer: PlatformPacer
  backoff: BackoffOptions
  /** Longer waits for a paused platform hand the record back instead of holding its claim. */
  maxHoldMs?: number
  /**
   * Attempts refused with 401 (each with a fresh token) retried before the refusal is shown on the Grades page: a
   * platform's token store may lag for a while, and only a refusal that persists needs someone to look.
   */
  quietUnauthorizedAttempts?: number
  /** Decides what becomes of scores whose line item the LMS deleted; without it they fail. */
  lineItemGone?: LineItemGoneHandler
}

/** What the Grades page says of a score held because the column the LMS named for it was deleted there. */
export const heldReason = (answer: string): string =>
  `Held: the gradebook column your LMS named for Mentorlink was deleted in the LMS (${answer}).`

/** What the Grades page says of a score the LMS keeps refusing with 401. */
export const unauthorizedReason = (attempts: number, answer: string): string =>
  `The LMS refused Mentorlink's access ${attempts} times in a row (${answer}). Mentorlink keeps trying with a new ` +
  'access token; if this goes on, ask your LMS administrator to check Mentorlink\'s registration (its client id and keys).'

/** Sends one claimed score: paced per platform, classified, and turned into what the outbox should record. */
export function createScoreSender ({ ags, pacer, backoff, maxHoldMs = 5000, quietUnauthorizedAttempts = 8, lineItemGone }: ScoreSenderOptions) {
  const later = (ms: number): Date => new Date(Date.now() + ms)
  return async (score: Pick<QueuedScore, 'courseId' | 'issuer' | 'clientId' | 'lineItemUrl' | 'userSub' | 'body' | 'attempts'>, timestamp: Date, signal?: AbortSignal): Promise<SendOutcome> => {
    const platform = `${score.issuer}\n${score.clientId}`
    const wait = pacer.delayFor(platform)
    if (wait > maxHoldMs) return { kind: 'retry', at: later(wait), counted: false }
    await pacer.acquire(platform)
    if (signal?.aborted ?? false) return { kind: 'retry', at: new Date(), counted: false }
    const retry = (error: string, delay = backoffMs(score.attempts, backoff), statusCode?: number): SendOutcome =>
      ({ kind: 'retry', at: later(delay), counted: true, error, statusCode })
    try {
      const answer = await ags.postScore({ issuer: score.issuer, clientId: score.clientId }, score.lineItemUrl,
        { ...score.body, userId: score.userSub, timestamp: timestamp.toISOString() }, signal)
      const verdict = classifyAnswer(answer.status, answer.body, answer.retryAfter)
      switch (verdict.kind) {
        case 'ok':
        case 'superseded': pacer.succeeded(platform, answer.budget); return { kind: 'sent' }
        case 'throttled': pacer.throttled(platform, verdict.retryAfterMs); return retry(verdict.reason, verdict.retryAfterMs, answer.status)
        case 'transient': return retry(verdict.reason, undefined, answer.status)
        case 'unauthorized': {
          const attempts = score.attempts + 1
          if (attempts < quietUnauthorizedAttempts) return { kind: 'retry', at: later(backoffMs(score.attempts, backoff)), counted: true }
          return retry(unauthorizedReason(attempts, verdict.reason), undefined, answer.status)
        }
        case 'permanent': return { kind: 'failed', error: verdict.reason, statusCode: verdict.status }
        case 'lineItemGone': {
          if (lineItemGone === undefined) return { kind: 'failed', error: verdict.reason, statusCode: verdict.status }
          const gone = await lineItemGone(score)
          return gone === 'held' ? { kind: 'failed', error: heldReason(verdict.reason), statusCode: verdict.status } : { kind: 'dropped', reason: verdict.reason }
        }
      }
    } catch (err) {
      if (signal?.aborted === true) return { kind: 'retry', at: new Date(), counted: false }
      if (err instanceof AgsRequestError) return retry(err.message)
      throw err
    }
  }
}

export type ScoreSender = ReturnType<typeof createScoreSender>
