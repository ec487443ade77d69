/** How a score POST's answer is handled: pure, so every platform quirk is testable without HTTP. */
export type Verdict =
  | { kind: 'ok' }
  | { kind: 'throttled', retryAfterMs?: number, reason: string }
  | { kind: 'transient', reason: string }
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
 * 429, and Canvas's older 403 "Rate Limit Exceeded", are throttling; 408 and 5xx are worth retrying; any other 4xx
 * (a student the platform will not grade, a deleted line item, a malformed score) will fail again and is final.
 */
export function classifyAnswer (status: number, body: string, retryAfter: string | null, now = Date.now()): Verdict {
  if (status >= 200 && status < 300) return { kind: 'ok' }
  const reason = describeAnswer(status, body)
  if (status === 429 || (status === 403 && /rate limit exceeded/i.test(body))) {
    return { kind: 'throttled', retryAfterMs: parseRetryAfter(retryAfter, now), reason }
  }
  if (status === 408 || status >= 500) return { kind: 'transient', reason }
  return { kind: 'permanent', reason, status }
}

export interface BackoffOptions { baseMs: number, maxMs: number }

/** Exponential backoff with "equal jitter": half the step fixed, half random, capped at maxMs. */
export function backoffMs (attempt: number, { baseMs, maxMs }: BackoffOptions, random = Math.random): number {
  const step = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempt, 30)))
  return Math.round(step / 2 + random() * step / 2)
}
