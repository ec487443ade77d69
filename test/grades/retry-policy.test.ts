import { createPlatformPacer } from '../../src/domain/grading/platform-pacer'
import { backoffMs, classifyAnswer, parseRetryAfter } from '../../src/domain/grading/retry-policy'
import { rateBudgetOf, scoresUrlOf } from '../../src/lti/ags-client'

describe('score answers', () => {
  it('treat 429 and Canvas\'s 403 "Rate Limit Exceeded" as throttling, honouring Retry-After', () => {
    expect(classifyAnswer(429, '', '3')).toMatchObject({ kind: 'throttled', retryAfterMs: 3000 })
    expect(classifyAnswer(403, '403 Forbidden (Rate Limit Exceeded)', null)).toMatchObject({ kind: 'throttled', retryAfterMs: undefined })
    expect(classifyAnswer(403, '{"errors":[{"message":"user not authorized"}]}', null)).toMatchObject({ kind: 'permanent', status: 403 })
  })

  it('retry 5xx and 408, and give up on other 4xx with the body as the reason', () => {
    expect(classifyAnswer(503, 'down', null).kind).toBe('transient')
    expect(classifyAnswer(408, '', null).kind).toBe('transient')
    expect(classifyAnswer(401, '{"errors":[{"message":"Invalid access token"}]}', null).kind).toBe('unauthorized')
    expect(classifyAnswer(404, '{"errors":[{"message":"line item not found"}]}', null)).toMatchObject({ kind: 'lineItemGone', status: 404 })
    expect(classifyAnswer(422, '{"errors":[{"message":"User not found in course or is not a student"}]}', null))
      .toEqual({ kind: 'permanent', status: 422, reason: 'HTTP 422: {"errors":[{"message":"User not found in course or is not a student"}]}' })
    expect(classifyAnswer(200, '{}', null).kind).toBe('ok')
  })

  it('count a refusal of a score as older than the gradebook\'s own as done (Moodle 409, Canvas 400 naming the timestamp)', () => {
    expect(classifyAnswer(409, 'Refusing score with an earlier timestamp for item and user', null).kind).toBe('superseded')
    expect(classifyAnswer(409, '', null).kind).toBe('superseded')
    expect(classifyAnswer(400, '{"errors":{"timestamp":"Score timestamp not greater than previous timestamp"}}', null).kind).toBe('superseded')
    expect(classifyAnswer(400, '{"errors":{"scoreGiven":"must be a number"}}', null).kind).toBe('permanent')
  })

  it('read Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-03-01T10:00:00Z')
    expect(parseRetryAfter('120', now)).toBe(120_000)
    expect(parseRetryAfter('Sun, 01 Mar 2026 10:00:30 GMT', now)).toBe(30_000)
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter(null, now)).toBeUndefined()
  })

  it('back off exponentially with jitter, capped', () => {
    const options = { baseMs: 1000, maxMs: 60_000 }
    expect(backoffMs(0, options, () => 0)).toBe(500)
    expect(backoffMs(3, options, () => 1)).toBe(8000)
    expect(backoffMs(30, options, () => 1)).toBe(60_000)
  })
})

describe('the scores URL', () => {
  it('appends /scores to the line item path and keeps its query (Moodle)', () => {
    expect(scoresUrlOf('https://moodle.example.edu/mod/lti/services.php/2/lineitems/7/lineitem?type_id=3'))
      .toBe('https://moodle.example.edu/mod/lti/services.php/2/lineitems/7/lineitem/scores?type_id=3')
    expect(scoresUrlOf('https://canvas.example.edu/api/lti/courses/5/line_items/2')).toBe('https://canvas.example.edu/api/lti/courses/5/line_items/2/scores')
  })

  it('reads Canvas\'s rate-limit headers, and nothing from platforms that send none', () => {
    expect(rateBudgetOf(new Headers({ 'x-rate-limit-remaining': '412.5', 'x-request-cost': '0.0381' }))).toEqual({ remaining: 412.5, cost: 0.0381 })
    expect(rateBudgetOf(new Headers())).toBeUndefined()
    expect(rateBudgetOf(new Headers({ 'x-rate-limit-remaining': 'lots', 'x-request-cost': '1' }))).toBeUndefined()
  })
})

describe('per-platform pacing', () => {
  it('sends unpaced until throttled, then pauses for Retry-After and paces at the rate the platform allowed', () => {
    let now = 0
    const pacer = createPlatformPacer({ now: () => now, headroom: 1 })
    for (let i = 0; i < 100; i++) { now += 2; pacer.succeeded('lms') }
    expect(pacer.delayFor('lms')).toBe(0)
    pacer.throttled('lms', 1000)
    expect(pacer.delayFor('lms')).toBe(1000)
    pacer.throttled('lms', 1000) // an in-flight request throttled by the same burst teaches nothing new
    now += 1000
    void pacer.acquire('lms')
    expect(pacer.delayFor('lms')).toBe(10)
    void pacer.acquire('lms')
    expect(pacer.delayFor('lms')).toBe(20)
  })

  it('climbs back to the pace the platform had allowed as it accepts sends again after a burst of refusals', () => {
    let now = 0
    const pacer = createPlatformPacer({ now: () => now, headroom: 1 })
    // 100 accepted in the last second, then 20 answers of 429 with Retry-After: 1, four at a time (sent together).
    for (let i = 0; i < 100; i++) { now += 10; pacer.succeeded('lms') }
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 4; i++) pacer.throttled('lms', 1000)
      now += 1000
    }
    /** One accepted send in the slot the pacer gives; answers the interval to the next slot. */
    const accepted = (): number => {
      now += pacer.delayFor('lms')
      void pacer.acquire('lms')
      pacer.succeeded('lms')
      return pacer.delayFor('lms')
    }
    const started = now
    const intervals = Array.from({ length: 300 }, accepted)
    expect(intervals.findIndex((ms) => ms <= 20)).toBeLessThan(60) // above 50 a second within 60 accepted sends
    expect(intervals.at(-1)).toBe(10) // and back at the 100 a second it had allowed, not above
    expect(now - started).toBeLessThan(10_000) // 300 sends in seconds (at one a second: 300 s)
  })

  it('only pauses when refused before anything was accepted: no rate was learned', () => {
    let now = 0
    const pacer = createPlatformPacer({ now: () => now })
    pacer.throttled('lms', 1000)
    expect(pacer.delayFor('lms')).toBe(1000)
    now += 1000
    void pacer.acquire('lms')
    void pacer.acquire('lms')
    expect(pacer.delayFor('lms')).toBe(0)
  })

  it('paces at the rate a Canvas bucket drains once its reported budget runs low, before any refusal', () => {
    let now = 0
    const pacer = createPlatformPacer({ now: () => now, headroom: 1 })
    // A bucket of 600 draining 100 a second; every request costs 1 and one is answered every 2 ms.
    let level = 0
    const answer = (): void => {
      now += 2
      level = Math.max(0, level - 0.2) + 1
      pacer.succeeded('canvas', { remaining: 600 - level, cost: 1 })
    }
    while (600 - level >= 300) {
      answer()
      expect(pacer.delayFor('canvas')).toBe(0)
    }
    answer()
    void pacer.acquire('canvas')
    expect(pacer.delayFor('canvas')).toBeCloseTo(10, 0) // 1 unit per request / 0.1 unit per ms
    // Once the bucket has drained back above half, sends go unpaced again (a refusal's pace would be kept).
    now += 10_000
    pacer.succeeded('canvas', { remaining: 590, cost: 1 })
    void pacer.acquire('canvas')
    expect(pacer.delayFor('canvas')).toBe(0)
  })

  it('ignores budgets while plenty is left, and answers without one', () => {
    let now = 0
    const pacer = createPlatformPacer({ now: () => now })
    for (let i = 0; i < 100; i++) { now += 10; pacer.succeeded('lms', { remaining: 590, cost: 1 }); pacer.succeeded('moodle') }
    void pacer.acquire('lms')
    void pacer.acquire('moodle')
    expect([pacer.delayFor('lms'), pacer.delayFor('moodle')]).toEqual([0, 0])
  })
})
