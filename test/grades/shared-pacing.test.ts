import { createPlatformPacer, type PaceSharing } from '../../src/domain/grading/platform-pacer'
import type { SharedPace } from '../../src/domain/grading/ports'
import { createSharedPacing } from '../../src/domain/grading/shared-pacing'
import { connectDatabase, type Database } from '../../src/persistence/database'
import { createPlatformPaceRepository } from '../../src/persistence/repositories/platform-pace.repository'
import { testDatabaseUri } from '../helpers/test-app'
import { eventually } from './support'

const PLATFORM = 'https://canvas.example.edu\nclient-1'

/** Two workers' pacers over one shared pace, as the database would hold it, on a clock the test moves. */
function twoWorkers () {
  let clock = 1_000_000
  const paces = new Map<string, SharedPace>()
  const shared: PaceSharing = { view: (p) => paces.get(p) ?? null, publish: (p, pace) => { paces.set(p, pace) }, workers: () => 2 }
  const now = (): number => clock
  return {
    a: createPlatformPacer({ shared, now }),
    b: createPlatformPacer({ shared, now }),
    paces,
    tick: (ms: number) => { clock += ms }
  }
}

describe('a platform pace shared by several workers', () => {
  it('holds a pause one worker met for the others too', () => {
    const { a, b } = twoWorkers()
    a.throttled(PLATFORM, 3000)
    expect(b.delayFor(PLATFORM)).toBe(3000)
  })

  it('splits the pace one worker learned between the workers, so together they send at that pace', async () => {
    const { a, b, paces, tick } = twoWorkers()
    // A sent 10 scores in the last second before the platform refused one: 10 a second (times headroom) for A alone.
    for (let i = 0; i < 10; i++) { a.succeeded(PLATFORM); tick(100) }
    a.throttled(PLATFORM, 0)
    const fleetInterval = paces.get(PLATFORM)?.intervalMs ?? 0
    expect(fleetInterval).toBeGreaterThan(0)
    // Each of the two workers now leaves two fleet intervals between its own sends.
    const slots: number[] = []
    for (let i = 0; i < 3; i++) {
      slots.push(b.delayFor(PLATFORM))
      await b.acquire(PLATFORM)
    }
    expect(slots[2] as number - (slots[1] as number)).toBeCloseTo(2 * fleetInterval, 0)
  })
})

describe('the shared pace in the database', () => {
  let dbs: Database[] = []
  beforeAll(async () => {
    const uri = testDatabaseUri()
    dbs = await Promise.all([connectDatabase(uri), connectDatabase(uri)])
  })
  afterAll(async () => { await Promise.all(dbs.map(async (db) => { await db.close() })) })

  it('reaches another process within the refresh time, and counts the workers sending', async () => {
    const log = { warn: () => undefined }
    const [one, two] = dbs.map((db, i) => createSharedPacing({ store: createPlatformPaceRepository(db.models), workerId: `w${i}`, log, refreshMs: 50 }))
    if (!one || !two) throw new Error('no workers')
    one.start()
    two.start()
    one.publish(PLATFORM, { pausedUntil: Date.now() + 60_000, intervalMs: 250 })
    // Reading starts a refresh in the background; the answer shows up within a few refreshes (longer on a busy machine).
    await eventually(() => {
      expect(two.view(PLATFORM)).toMatchObject({ intervalMs: 250 })
      expect(two.workers()).toBe(2)
    }, 10_000, 50)
    await one.stop()
    await eventually(() => { expect(two.workers()).toBe(1) }, 10_000, 50)
    await two.stop()
  })
})
