import type { FastifyInstance } from 'fastify'
import { ConfigError, loadConfig, type Config } from '../../src/config'
import type { RunningDemo } from '../../src/demo-loader'
import { DEMO_COURSE, DEMO_INSTRUCTOR_ID, DEMO_USERS } from '../../src/demo/demo-course'
import { DEMO_EXTERNAL_MENTORS, DEMO_INTAKES, DEMO_TAGS } from '../../src/demo/demo-seed-data'
import { startDemo } from '../../src/demo/start-demo'
import { startMentorlink } from '../../src/mentorlink'
import { freePort } from '../../src/persistence/ferretdb'
import type { Services } from '../../src/services'
import { testConfig } from '../helpers/test-app'

/** The demo as `npm start` runs it (app, demo LMS, seed after listening), on this test's database. */
interface DemoRun { app: FastifyInstance, services: Services, demo: RunningDemo, close: () => Promise<void> }

async function runDemo (config: Config): Promise<DemoRun> {
  const { app, services } = await startMentorlink(config)
  let demo: RunningDemo | undefined
  try {
    demo = await startDemo(services)
    await app.listen({ host: '127.0.0.1', port: config.port })
  } catch (err) {
    await app.close()
    await demo?.close()
    throw err
  }
  const started = demo
  return { app, services, demo: started, close: async () => { await app.close(); await started.close() } }
}

const emailOf = (lmsUserId: string): string => DEMO_USERS.find((u) => u.id === lmsUserId)?.email ?? ''
const STUDENTS = DEMO_USERS.filter((u) => u.id.startsWith('demo-student-'))
const LMS_MENTORS = DEMO_USERS.filter((u) => u.id.startsWith('demo-mentor-'))

/** Everything the seed writes, in a comparable form (no timestamps that a no-op would not touch either). */
async function snapshot (services: Services) {
  const { courses, users, memberships, pools, mentors, intakes, pairingRuns, pairings } = services.db.models
  const byString = (a: string, b: string): number => a.localeCompare(b)
  return {
    courses: (await courses.find({}).lean()).map((c) => ({ id: String(c._id), contextId: c.contextId, poolId: String(c.poolId), issuer: c.issuer })),
    users: (await users.find({}).lean()).map((u) => `${String(u._id)} ${u.sub} ${u.email}`).sort(byString),
    memberships: (await memberships.find({}).lean()).map((m) => `${String(m.userId)} ${m.role} ${m.status}`).sort(byString),
    pools: (await pools.find({}).lean()).map((p) => String(p._id)),
    mentors: (await mentors.find({}).lean()).map((m) => JSON.stringify([String(m._id), m.email, m.source, String(m.userId), m.capacity, m.expertise, m.bio])).sort(byString),
    intakes: (await intakes.find({}).lean()).map((i) => JSON.stringify([String(i.studentUserId), i.interests, i.ranking.map(String), i.shortTermGoal, String(i.updatedAt)])).sort(byString),
    pairingRuns: await pairingRuns.countDocuments({}),
    pairings: await pairings.countDocuments({})
  }
}

describe('the demo course seed (DEMO_STATE), on one database started blank, then seeded, then restarted', () => {
  let config: Config
  let run: DemoRun | undefined

  // ltijs binds a process to one database: every run of this file, blank or seeded, restarts on the same one.
  beforeAll(async () => {
    config = await testConfig({ SIMULATOR_PORT: String(await freePort()) })
  })
  afterAll(async () => { await run?.close() })
  const sameData = async (overrides: Record<string, string> = {}): Promise<Config> =>
    await testConfig({ MONGODB_URI: config.mongodbUri ?? '', SIMULATOR_PORT: String(config.simulatorPort), ...overrides })

  it('seeds nothing with DEMO_STATE=empty', async () => {
    const blank = await runDemo(await sameData({ DEMO_STATE: 'empty' }))
    try {
      expect(blank.services.config.demoState).toBe('empty')
      expect(await blank.demo.seed()).toMatch(/starts blank \(DEMO_STATE=empty\)/)
      const { courses, users, memberships, pools, mentors, intakes } = blank.services.db.models
      for (const model of [courses, users, memberships, pools, mentors, intakes]) {
        expect(await (model as typeof courses).countDocuments({})).toBe(0)
      }
      expect(await blank.services.platformRegistry.list()).toHaveLength(1)
    } finally {
      await blank.close()
    }
  })

  it('seeds a course ready to pair: synced roster, LMS and external mentors, ten intakes, no pairing run', async () => {
    run = await runDemo(config)
    const { services, demo } = run
    expect(config.demoState).toBe('seeded')
    expect(await demo.seed()).toMatch(/ready to pair: 12 students \(10 intakes filled\), 7 mentors/)
    const { courses, memberships, users, mentors, intakes, pairingRuns, pairings, pairingPlans } = services.db.models

    // The course as the instructor's launch would write it, with its roster synced from the LMS.
    const [course, ...others] = await courses.find({}).lean()
    expect(others).toHaveLength(0)
    expect(course).toMatchObject({ clientId: 'mentorlink-demo', deploymentId: 'demo-deployment-1', contextId: DEMO_COURSE.id, title: DEMO_COURSE.title })
    expect(course?.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(course?.membershipsUrl).toContain(DEMO_COURSE.id)
    expect(course?.rosterSyncedAt).toBeInstanceOf(Date)
    const courseId = course?._id
    const member = async (lmsUserId: string) => {
      const user = await users.findOne({ issuer: course?.issuer, sub: lmsUserId }).lean()
      return user ? await memberships.findOne({ courseId, userId: user._id }).lean() : null
    }
    expect(STUDENTS).toHaveLength(12)
    for (const student of STUDENTS) expect(await member(student.id)).toMatchObject({ role: 'student', status: 'active', email: student.email })
    for (const mentor of LMS_MENTORS) expect(await member(mentor.id)).toMatchObject({ role: 'mentor', status: 'active' })
    expect(await member(DEMO_INSTRUCTOR_ID)).toMatchObject({ role: 'instructor', status: 'active' })

    // The pool: the LMS mentors linked to their LMS users, and external business people, all with full profiles.
    const pool = await mentors.find({ poolId: course?.poolId }).lean()
    expect(pool).toHaveLength(7)
    for (const lmsMentor of LMS_MENTORS) {
      const inPool = pool.find((m) => m.email === lmsMentor.email)
      expect(inPool).toMatchObject({ source: 'lms', active: true, name: lmsMentor.name })
      expect(String(inPool?.userId)).toBe(String((await member(lmsMentor.id))?.userId))
    }
    const external = pool.filter((m) => m.source === 'external')
    expect(external.map((m) => m.email).sort()).toEqual(DEMO_EXTERNAL_MENTORS.map((m) => m.email).sort())
    for (const m of external) expect(m.userId ?? null).toBeNull()
    for (const m of pool) {
      expect(m.organisation).not.toBe('')
      expect(m.jobTitle).not.toBe('')
      expect(m.bio.length).toBeGreaterThan(80)
      expect(m.capacity).toBeGreaterThanOrEqual(2)
      expect(m.expertise.length).toBeGreaterThanOrEqual(3)
      for (const tag of m.expertise) expect(DEMO_TAGS).toContain(tag)
    }
    expect(pool.reduce((seats, m) => seats + m.capacity, 0)).toBeGreaterThanOrEqual(STUDENTS.length)

    // Intakes for ten students, as the intake form would accept them; two students have none.
    const saved = await intakes.find({ courseId }).lean()
    expect(saved).toHaveLength(10)
    const poolIds = new Set(pool.map((m) => String(m._id)))
    for (const intake of saved) {
      expect(intake.interests.length).toBeGreaterThan(0)
      for (const tag of intake.interests) expect(DEMO_TAGS).toContain(tag)
      expect(intake.organisation).not.toBe('')
      expect(intake.shortTermGoal.length).toBeGreaterThan(0)
      expect(intake.shortTermGoal.length).toBeLessThanOrEqual(300)
      expect(intake.longTermGoal.length).toBeGreaterThan(0)
      expect(intake.longTermGoal.length).toBeLessThanOrEqual(300)
      expect(intake.ranking.length).toBeLessThanOrEqual(5)
      for (const id of intake.ranking) expect(poolIds).toContain(String(id))
    }
    expect(saved.filter((i) => i.ranking.length > 0).length).toBeGreaterThanOrEqual(5)
    const withIntake = new Set(saved.map((i) => String(i.studentUserId)))
    const without = []
    for (const student of STUDENTS) if (!withIntake.has(String((await member(student.id))?.userId))) without.push(student.id)
    expect(without.sort()).toEqual(STUDENTS.map((s) => s.id).filter((id) => !(id in DEMO_INTAKES)).sort())
    expect(without).toHaveLength(2)
    const chloe = String((await member('demo-student-9'))?.userId)
    const ranked = saved.find((i) => String(i.studentUserId) === chloe)
    expect(ranked?.ranking.map((id) => pool.find((m) => String(m._id) === String(id))?.email))
      .toEqual(['robert.alvarez@meridian-logistics.example', emailOf('demo-mentor-1'), emailOf('demo-mentor-3')])

    // The pairing is the instructor's to run and publish.
    expect(await pairingRuns.countDocuments({})).toBe(0)
    expect(await pairings.countDocuments({})).toBe(0)
    expect(await pairingPlans.countDocuments({ publishedAt: { $ne: null } })).toBe(0)
  })

  it('changes nothing when seeded again, in the same process or after a restart on the same data', async () => {
    const before = await snapshot((run as DemoRun).services)
    expect(await (run as DemoRun).demo.seed()).toMatch(/keeps the data of an earlier run \(7 mentors in the pool\)/)
    expect(await snapshot((run as DemoRun).services)).toEqual(before)

    await (run as DemoRun).close()
    run = undefined
    // The same database and LMS port, a new app port: as `npm start` again on the same data directory.
    run = await runDemo(await sameData())
    expect(await run.demo.seed()).toMatch(/keeps the data of an earlier run/)
    expect(await snapshot(run.services)).toEqual(before)
  })

  it('leaves the instructor a pairing to run, with the students without intake flagged', async () => {
    const { services } = run as DemoRun
    const course = await services.db.models.courses.findOne({ contextId: DEMO_COURSE.id }).lean()
    const instructor = await services.db.models.users.findOne({ sub: DEMO_INSTRUCTOR_ID }).lean()
    const courseId = String(course?._id)
    const inputs = await services.pairingStore.loadInputs(courseId)
    expect(inputs.students).toHaveLength(12)
    expect(inputs.students.filter((s) => !s.hasIntake).map((s) => s.name).sort()).toEqual(['Aisha Bello', 'Jonas Keller'])
    expect(inputs.mentors.filter((m) => m.active)).toHaveLength(7)
    const result = await services.pairing.run(courseId, String(instructor?._id))
    expect(result.result.pairs.length + result.result.unpaired.length).toBe(12)
    expect(result.result.pairs.length).toBeGreaterThanOrEqual(10)
  })
})

describe('DEMO_STATE', () => {
  it('is seeded unless set to empty, and refuses anything else by name', () => {
    expect(loadConfig({}).demoState).toBe('seeded')
    expect(loadConfig({ DEMO_STATE: 'empty' }).demoState).toBe('empty')
    expect(() => loadConfig({ DEMO_STATE: 'full' })).toThrow(ConfigError)
    expect(() => loadConfig({ DEMO_STATE: 'full' })).toThrow(/DEMO_STATE/)
  })
})
