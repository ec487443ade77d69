/** How a score POST's answer is handled: pure, so every platform quirk is testable without HTTP. */
export type Verdict =
  | { kind: 'ok' }
  /** The gradebook already holds a score at least as new as this one: this one is done. */
  | { kind: 'superseded', reason: string }
  | { kind: 'throttled', retryAfterMs?: number, reason: string }
  | { kind: 'transient', reason: string }
  /** The line item is not there (deleted in the LMS): its scores need another. */
  | { kind: 'lineItemGone', reason: string, status: number }
  /** The platform refused the access token, even a fresh one: worth retrying with another later. */
  | { kind: 'unauthorized', reason: string }
  | { kind: 'permanent', reason: string, status: number }

const BODY_MAX = 500

export const describeAnswer = (status: number, body: string): string => {
  const text = body.replace(/\s+/g, ' ').trim()
  return `HTTP ${status}${text ? `: ${text.length > BODY_MAX ? `${text.slice(0, BODY_MAX)}…` : text}` : ''}`
}

/** Retry-After as seconds or an HTTP date, in milliseconds from `now`; undefined when absent or unreadable. */
export function parseRetryAfter (value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined
  const text = value.trim()
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000)
  const at = Date.parse(text)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/**
 * The platform refused a score because it holds one with the same or a later timestamp: Moodle and the spec's
 * reference answer 409, Canvas 400 naming the timestamp. Lane claims stamp every send later than the last, so the
 * newer score came from a later claim of the same lane (sending this version or a newer one) or from this very
 * score, sent before and retried because its answer was lost: either way the gradebook is right.
 */
const isStaleTimestamp = (status: number, body: string): boolean =>
  status === 409 || ((status === 400 || status === 422) && /timestamp/i.test(body) && /not (newer|greater)|earlier|older/i.test(body))

/**
 * 429, and Canvas's older 403 "Rate Limit Exceeded", are throttling; 408 and 5xx are worth retrying, and so is 401
 * (platforms' token stores lag and expire tokens early); 404 and 410 say the line item was deleted (Canvas answers
 * 404 for a deleted assignment); any other 4xx (a student the platform will not grade, a malformed score) will fail
 * again and is final.
 */
export function classifyAnswer (status: number, body: string, retryAfter: string | null, now = Date.now()): Verdict {
  if (status >= 200 && status < 300) return { kind: 'ok' }
  const reason = describeAnswer(status, body)
  if (isStaleTimestamp(status, body)) return { kind: 'superseded', reason }
  if (status === 429 || (status === 403 && /rate limit exceeded/i.test(body))) {
    return { kind: 'throttled', retryAfterMs: parseRetryAfter(retryAfter, now), reason }
  }
  if (status === 408 || status >= 500) return { kind: 'transient', reason }
  if (status === 401) return { kind: 'unauthorized', reason }
  if (status === 404 || status === 410) return { kind: 'lineItemGone', reason, status }
  return { kind: 'permanent', reason, status }
}

export interface BackoffOptions { baseMs: number, maxMs: number }

/** Exponential backoff with "equal jitter": half the step fixed, half random, capped at maxMs. */
export function backoffMs (attempt: number, { baseMs, maxMs }: BackoffOptions, random = Math.random): number {
  const step = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempt, 30)))
  return Math.round(step / 2 + random() * step / 2)
}
