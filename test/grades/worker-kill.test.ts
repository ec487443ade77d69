import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { eventually, expectUpToDate, queuedEntries, recordSession, saveRules, startGradeWorld, writeReflection, type GradeWorld } from './support'

let world: GradeWorld
const workers: ChildProcess[] = []

beforeAll(async () => {
  // The app only fills the outbox here: separate worker processes send it.
  world = await startGradeWorld({ students: 40, env: { GRADE_WORKER: 'false' } })
})
afterAll(async () => {
  for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL')
  await world?.close()
})

/** `node --import tsx src/jobs/grade-worker-main.ts` against the test's database. */
function startWorker (): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('src', 'jobs', 'grade-worker-main.ts')], {
    cwd: path.resolve(__dirname, '..', '..'),
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      MONGODB_URI: world.app.config.mongodbUri,
      LTI_ENCRYPTION_KEY: world.app.config.ltiEncryptionKey,
      SESSION_SECRET: world.app.config.sessionSecret,
      GRADE_CONCURRENCY: '4',
      GRADE_LEASE_SECONDS: '2',
      GRADE_POLL_MS: '100',
      GRADE_IDLE_POLL_MAX_MS: '100',
      GRADE_RETRY_BASE_MS: '50',
      GRADE_REQUEST_TIMEOUT_MS: '5000'
    }
  })
  workers.push(child)
  return child
}

const exited = async (child: ChildProcess): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null) return
  await new Promise((resolve) => child.once('exit', resolve))
}

it('ends with the gradebook exactly right after the worker is killed mid-batch and restarted', async () => {
  world.sim.faults.add({ route: 'scores', latencyMs: 250 })
  await saveRules(world)
  // Saving the rules schedules the recompute that queues every student's score.
  await world.app.settled()
  expect(await queuedEntries(world)).toHaveLength(40)

  const first = startWorker()
  await eventually(() => expect(world.gradebook().size).toBeGreaterThanOrEqual(6), 60_000, 20)
  first.kill('SIGKILL')
  await exited(first)
  const claimedWhenKilled = (await world.app.grading.lanes.held()).length
  expect(world.gradebook().size).toBeLessThan(40)
  expect(claimedWhenKilled).toBeGreaterThan(0)

  // Progress moves on while no worker runs: newer scores replace queued and claimed ones.
  for (const student of ['s1', 's2', 's3', 's40']) await recordSession(world, student)
  await recordSession(world, 's1')
  await writeReflection(world, 's1')
  await eventually(async () => expect((await queuedEntries(world)).filter((e) => e.userSub === 's1' && e.body.scoreGiven === 100)).toHaveLength(1))

  world.sim.faults.clear()
  world.sim.faults.add({ route: 'scores', latencyMs: 20 })
  const second = startWorker()
  await expectUpToDate(world, [], 60_000)
  await eventually(async () => expect(await world.app.db.models.gradeOutbox.countDocuments()).toBe(0))
  expect(world.gradebook().get('s1')).toMatchObject({ scoreGiven: 100, activityProgress: 'Completed', comment: 'Mentoring programme complete.' })
  second.kill('SIGTERM')
  await exited(second)
  expect(second.exitCode === 0 || second.signalCode === 'SIGTERM').toBe(true)
}, 120_000)
