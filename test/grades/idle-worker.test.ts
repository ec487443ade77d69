import { createGradeWorker } from '../../src/jobs/grade-worker'

/**
 * An idle worker asks the outbox for due scores less and less often (up to its longest wait), and looks at once,
 * starting the short waits again, when it is told scores were queued. The outbox here is empty, the clock jest's.
 */
function idleWorker () {
  let looks = 0
  const worker = createGradeWorker({
    outbox: { nextDueLane: async () => { looks++; return undefined }, laneBatches: async () => [], finishLane: async () => undefined },
    lanes: { held: async () => [], acquire: async () => null, renew: async () => false, release: async () => undefined },
    send: async () => { throw new Error('nothing is due') },
    concurrency: 1,
    leaseMs: 1000,
    pollMs: 100,
    idlePollMaxMs: 1600,
    loops: 1,
    log: { warn: () => undefined, error: () => undefined }
  })
  return { worker, looks: () => looks }
}

beforeEach(() => { jest.useFakeTimers() })
afterEach(() => { jest.useRealTimers() })

it('waits twice as long after each empty look, up to its longest wait', async () => {
  const { worker, looks } = idleWorker()
  worker.start()
  await jest.advanceTimersByTimeAsync(0)
  expect(looks()).toBe(1)
  // Waits of 100, 200, 400, 800 and then 1600 ms: looks at 100, 300, 700, 1500, 3100, 4700, ... 9500 ms.
  await jest.advanceTimersByTimeAsync(10_000)
  expect(looks()).toBe(1 + 4 + 5)
  await worker.stop()
})

it('looks at once when kicked, then starts again from the short wait', async () => {
  const { worker, looks } = idleWorker()
  worker.start()
  await jest.advanceTimersByTimeAsync(5_000)
  const before = looks()
  worker.kick()
  await jest.advanceTimersByTimeAsync(0)
  expect(looks()).toBe(before + 1)
  await jest.advanceTimersByTimeAsync(100)
  expect(looks()).toBe(before + 2)
  await worker.stop()
})
