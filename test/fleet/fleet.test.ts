import { addDays, today } from '../../src/domain/term/calendar-day'
import { eventually } from '../grades/support'
import { startFleet, FLEET_TOOL, type Fleet } from '../helpers/fleet'
import { scoresSentTwice, startFleetCourse, type FleetCourse } from '../helpers/fleet-course'
import { callApi } from '../helpers/http'
import { launchAs } from '../helpers/lms'
import { testDatabaseUri } from '../helpers/test-app'

/**
 * Mentorlink as a fleet on one embedded database: 3 app processes behind a round-robin proxy and 2 grade workers.
 * Launches from the start of term, rules saved on several instances at once, and workers killed mid-send.
 */
const STUDENTS = 300
const COURSE = 'fleet101'
let fleet: Fleet
let course: FleetCourse
/** Students' sessions, from their launches. */
const tokens = new Map<string, string>()

/** Every student's LMS entry is what Mentorlink computes under the rules saved last, and Grades says synced. */
async function expectGradebookExact (timeoutMs: number, reflected?: ReadonlySet<string>): Promise<void> {
  await eventually(async () => {
    expect(await course.notUpToDate(reflected)).toEqual([])
    const grades = (await course.api('GET', '/api/v1/grades')).body as { counts: Record<string, number> }
    expect(grades.counts).toMatchObject({ synced: STUDENTS, failed: 0, pending: 0, sending: 0 })
  }, timeoutMs, 250)
}

beforeAll(async () => {
  fleet = await startFleet({ mongodbUri: testDatabaseUri(), apps: 3, workers: 2 })
  course = await startFleetCourse(fleet, COURSE, STUDENTS)
}, 180_000)

afterAll(async () => { await fleet?.close() })

it('lands 200 simultaneous launches spread over the instances, with no error', async () => {
  const before = [...fleet.served]
  const outcomes = await Promise.all(course.students.slice(0, 200).map(async (userId) =>
    await launchAs(fleet.sim, { ...FLEET_TOOL, courseId: COURSE, userId }).then(
      (r) => { tokens.set(userId, r.sessionToken ?? ''); return { userId, launch: r.launch.status, home: r.home?.status } },
      (err: unknown) => ({ userId, launch: 0, home: String(err) })
    )))
  expect(outcomes.filter((o) => o.launch !== 302 || o.home !== 200)).toEqual([])
  // Every instance answered its share (logins, launches and home pages go round).
  for (const [i, n] of fleet.served.entries()) expect(n - (before[i] ?? 0)).toBeGreaterThan(100)
}, 120_000)

it('grades 300 students exactly through 6 rules saves on different instances at once, sending no score twice', async () => {
  expect(await course.saveRulesAtOnce([1, 2, 3, 4, 5, 6])).toEqual([200, 200, 200, 200, 200, 200])
  await expectGradebookExact(90_000)
  expect(scoresSentTwice(fleet.sim)).toBe(0)
}, 120_000)

it('stays exact when grade workers are killed mid-send five times', async () => {
  // Slow answers keep the workers sending through all five kills.
  fleet.sim.faults.add({ route: 'scores', latencyMs: 300 })
  // None of these equals the rule the previous test left, so whichever save wins, every score changes.
  expect(await course.saveRulesAtOnce([7, 12, 9, 8, 11, 10])).toEqual([200, 200, 200, 200, 200, 200])
  const unsentAtKill: number[] = []
  for (let kill = 0; kill < 5; kill++) {
    await new Promise((resolve) => setTimeout(resolve, 1500))
    unsentAtKill.push((await course.notUpToDate()).length)
    await fleet.replaceWorker(Math.floor(Math.random() * fleet.workers.length))
  }
  // The kills came while scores were still on their way.
  expect(unsentAtKill[0]).toBeGreaterThan(0)
  fleet.sim.faults.clear()
  await expectGradebookExact(90_000)
}, 180_000)

it('counts every student\'s reflection written at once through every instance, in progress and in the gradebook', async () => {
  const term = await course.api('PUT', '/api/v1/term', { start: addDays(today(), -30), end: addDays(today(), 60) })
  expect(term.status).toBe(200)
  for (const userId of course.students.slice(200)) tokens.set(userId, (await launchAs(fleet.sim, { ...FLEET_TOOL, courseId: COURSE, userId })).sessionToken ?? '')
  const written = await Promise.all(course.students.map(async (s) =>
    await callApi(fleet.url, tokens.get(s) ?? '', 'POST', '/api/v1/reflections', { date: today(), text: 'What the negotiation taught me' })))
  expect(written.filter((r) => r.status !== 201).map((r) => r.body)).toEqual([])
  // Each instance applied its students' changes to the course's shared progress documents: none may be lost.
  await eventually(async () => {
    const progress = (await course.api('GET', '/api/v1/completion/progress')).body as Array<{ score: number }>
    expect(progress.filter((p) => p.score !== 40)).toEqual([])
  }, 60_000, 250)
  await expectGradebookExact(90_000, new Set(course.students))
}, 180_000)

