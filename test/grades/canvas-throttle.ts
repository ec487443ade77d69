import { eventually, expectUpToDate, recordSession, saveRules, startGradeWorld, type GradeWorld } from './support'

/**
 * Canvas throttles LTI calls per developer key with a leaky bucket and answers 429 (403 "Rate Limit Exceeded" in
 * the older style) without Retry-After. This bucket lets about 5 requests a second through after a burst of ~12.
 */
const THROTTLE = { highWaterMark: 60, leakPerSecond: 20, upFrontCost: 10, requestCost: 4 }
const STUDENTS = 24

/** One app per test file (ltijs is a process-wide singleton), so each answer style has its own file. */
export function describeThrottledPassback (status: 429 | 403): void {
  describe(`grade passback under Canvas throttling answered ${status}`, () => {
    let world: GradeWorld
    beforeAll(async () => {
      world = await startGradeWorld({ students: STUDENTS, simulator: { profile: 'canvas', throttle: { ...THROTTLE, status } } })
    })
    afterAll(async () => { await world?.close() })

    it('loses no grade: every student ends with the score Mentorlink computes, none marked failed', async () => {
      const started = Date.now()
      await saveRules(world)
      for (const student of world.students.slice(0, 10)) await recordSession(world, student)
      await expectUpToDate(world, [], 90_000)
      const seconds = (Date.now() - started) / 1000
      // The LMS holds every score a moment before the worker records the last answers as synced.
      await eventually(async () => expect((await world.api('inst', 'GET', '/api/v1/grades')).body.counts).toMatchObject({ synced: STUDENTS, failed: 0 }))
      // The limit was in force: the bucket holds at most its mark, so this many admitted requests take this long.
      const admitted = world.sim.stats.scorePosts - world.sim.stats.throttled
      expect(seconds).toBeGreaterThanOrEqual((admitted * THROTTLE.requestCost - THROTTLE.highWaterMark) / THROTTLE.leakPerSecond)
    }, 120_000)

    it('slows down instead of hammering: throttled answers stay a small share of the requests', () => {
      const { throttled, scorePosts } = world.sim.stats
      // Paced by the budget Canvas reports and by the refusals, the worker is refused far less often than it succeeds.
      expect(throttled).toBeLessThan(scorePosts * 0.25)
      // Scores queued behind the limit were replaced by newer ones, so fewer than 50 may have been sent.
      expect(world.sim.state.scoreHistory.length).toBeGreaterThanOrEqual(STUDENTS)
    })
  })
}
