import type { ScoreRecord } from '@mentorlink/simulator'
import { QUICK_RULES, eventually } from '../grades/support'
import { startFleet, FLEET_TOOL, type Fleet } from '../helpers/fleet'
import { callApi } from '../helpers/http'
import { launchAs, seedCourse } from '../helpers/lms'
import { testDatabaseUri } from '../helpers/test-app'

/**
 * Mentorlink as a fleet on one embedded database: 3 app processes behind a round-robin proxy and 2 grade workers.
 * Launches from the start of term, rules saved on several instances at once, and workers killed mid-send.
 */
const STUDENTS = 300
const COURSE = 'fleet101'
let fleet: Fleet
let instructor = ''

const students = Array.from({ length: STUDENTS }, (_, i) => `s${i}`)
const api = async (method: string, path: string, body?: unknown) => await callApi(fleet.url, instructor, method, path, body)

/** Rules that differ only in the sessions needed, so each save changes every student's comment (and score body). */
const rulesNeeding = (sessions: number) => ({ ...QUICK_RULES, requirements: { ...QUICK_RULES.requirements, sessions: { need: sessions, points: 60 } } })
const commentFor = (sessions: number): string => `Missing: ${sessions} more verified 1:1 session${sessions === 1 ? '' : 's'}, 1 more reflection.`

const gradebook = (): Map<string, ScoreRecord> => new Map(fleet.sim.gradebook(COURSE).map((s) => [s.userId, s]))

/** Scores the LMS got more than once: posts it refused as older than its own, and accepted repeats of the same body. */
function scoresSentTwice (): number {
  const accepted = fleet.sim.state.scoreHistory.filter((s) => s.courseId === COURSE)
  const refused = fleet.sim.stats.scorePosts - fleet.sim.stats.throttled - fleet.sim.state.scoreHistory.length
  let repeats = 0
  const last = new Map<string, string>()
  for (const s of accepted) {
    const body = JSON.stringify([s.scoreGiven, s.scoreMaximum, s.comment, s.activityProgress, s.gradingProgress])
    if (last.get(s.userId) === body) repeats++
    last.set(s.userId, body)
  }
  return refused + repeats
}

/** Every student's LMS entry is what Mentorlink computes under the rules saved last, and Grades says synced. */
async function expectGradebookExact (timeoutMs: number): Promise<void> {
  const expected = commentFor(await sessionsNeededNow())
  await eventually(async () => {
    const book = gradebook()
    const wrong = students.filter((s) => book.get(s)?.comment !== expected || book.get(s)?.scoreGiven !== 0)
    expect(wrong).toEqual([])
    const grades = (await api('GET', '/api/v1/grades')).body as { counts: Record<string, number> }
    expect(grades.counts).toMatchObject({ synced: STUDENTS, failed: 0, pending: 0, sending: 0 })
  }, timeoutMs, 250)
}

/** The rules saved last (of several saved at once, any may be). */
async function sessionsNeededNow (): Promise<number> {
  const rules = (await api('GET', '/api/v1/completion/rules')).body as { rules: { requirements: { sessions: { need: number } } } }
  return rules.rules.requirements.sessions.need
}

async function saveRulesOnSeveralInstances (needs: number[]): Promise<void> {
  const saved = await Promise.all(needs.map(async (need) => await api('PUT', '/api/v1/completion/rules', rulesNeeding(need))))
  expect(saved.map((s) => s.status)).toEqual(needs.map(() => 200))
}

beforeAll(async () => {
  fleet = await startFleet({ mongodbUri: testDatabaseUri(), apps: 3, workers: 2 })
  seedCourse(fleet.sim, COURSE, [{ id: 'prof', name: 'Amara Okafor', roles: ['Instructor'] }, ...students.map((id) => ({ id, name: `Student ${id}`, roles: ['Learner' as const] }))])
  const launched = await launchAs(fleet.sim, { ...FLEET_TOOL, courseId: COURSE, userId: 'prof' })
  instructor = launched.sessionToken ?? ''
  if (instructor === '') throw new Error(`the instructor's launch failed: ${launched.launch.status} ${launched.launchBody}`)
  // The instructor's launch brings the whole roster in (names and roles service).
  await eventually(async () => expect(await fleet.infra.db.models.memberships.countDocuments({ role: 'student' })).toBe(STUDENTS), 60_000, 250)
}, 180_000)

afterAll(async () => { await fleet?.close() })

it('lands 200 simultaneous launches spread over the instances, with no error', async () => {
  const before = [...fleet.served]
  const outcomes = await Promise.all(students.slice(0, 200).map(async (userId) =>
    await launchAs(fleet.sim, { ...FLEET_TOOL, courseId: COURSE, userId }).then(
      (r) => ({ userId, launch: r.launch.status, home: r.home?.status }),
      (err: unknown) => ({ userId, launch: 0, home: String(err) })
    )))
  expect(outcomes.filter((o) => o.launch !== 302 || o.home !== 200)).toEqual([])
  // Every instance answered its share (logins, launches and home pages go round).
  for (const [i, n] of fleet.served.entries()) expect(n - (before[i] ?? 0)).toBeGreaterThan(100)
}, 120_000)

it('grades 300 students exactly through 6 rules saves on different instances at once, sending no score twice', async () => {
  await saveRulesOnSeveralInstances([1, 2, 3, 4, 5, 6])
  await expectGradebookExact(90_000)
  expect(scoresSentTwice()).toBe(0)
}, 120_000)

it('stays exact when grade workers are killed mid-send five times', async () => {
  // Slow answers keep the workers sending through all five kills.
  fleet.sim.faults.add({ route: 'scores', latencyMs: 300 })
  await saveRulesOnSeveralInstances([7, 2, 5, 3, 6, 4])
  const final = commentFor(await sessionsNeededNow())
  const unsentAtKill: number[] = []
  for (let kill = 0; kill < 5; kill++) {
    await new Promise((resolve) => setTimeout(resolve, 1500))
    const book = gradebook()
    unsentAtKill.push(students.filter((s) => book.get(s)?.comment !== final).length)
    await fleet.replaceWorker(Math.floor(Math.random() * fleet.workers.length))
  }
  expect(unsentAtKill.at(-1)).toBeGreaterThan(0)
  fleet.sim.faults.clear()
  await expectGradebookExact(90_000)
}, 180_000)
