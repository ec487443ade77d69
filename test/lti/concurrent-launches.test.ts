import type { FastifyInstance } from 'fastify'
import type { Simulator } from '@mentorlink/simulator'
import { launchAs, seedCourse, startLmsFor } from '../helpers/lms'
import { startTestApp } from '../helpers/test-app'

let app: FastifyInstance
let sim: Simulator
const tool = { clientId: 'client-1', deploymentId: 'deploy-1' }
const STUDENTS = 200
const COURSES = 10

beforeAll(async () => {
  app = await startTestApp()
  sim = await startLmsFor(app, tool)
  seedCourse(sim, 'crowd', [
    { id: 'teacher', name: 'Amara Okafor', roles: ['Instructor'] },
    ...Array.from({ length: STUDENTS }, (_, i) => ({ id: `s${i}`, name: `Student ${i}`, roles: ['Learner' as const] }))
  ])
  for (let c = 0; c < COURSES; c++) {
    seedCourse(sim, `section-${c}`, [
      { id: `t${c}`, name: `Teacher ${c}`, roles: ['Instructor'] },
      ...Array.from({ length: STUDENTS / COURSES - 1 }, (_, i) => ({ id: `s${i}`, name: `Student ${i}`, roles: ['Learner' as const] }))
    ])
  }
})

afterAll(async () => {
  await sim?.close()
  await app?.close()
})

type Outcome = { who: string, launch: number, home?: number, body: string }
const launchAll = async (who: Array<{ courseId: string, userId: string }>): Promise<Outcome[]> => await Promise.all(who.map(async ({ courseId, userId }) =>
  await launchAs(sim, { ...tool, courseId, userId }).then(
    (r) => ({ who: `${courseId}/${userId}`, launch: r.launch.status, home: r.home?.status, body: r.launchBody.slice(0, 200) }),
    (err: unknown) => ({ who: `${courseId}/${userId}`, launch: 0, body: String(err) })
  )))
const failures = (outcomes: Outcome[]): Outcome[] => outcomes.filter((o) => o.launch !== 302 || o.home !== 200)

/** The first morning of term: every student of a course opens Mentorlink at once, each a first launch. */
it(`lands ${STUDENTS} simultaneous first launches of one course on their home page`, async () => {
  expect(failures(await launchAll(Array.from({ length: STUDENTS }, (_, i) => ({ courseId: 'crowd', userId: `s${i}` }))))).toEqual([])
  expect(await app.db.models.memberships.countDocuments()).toBe(STUDENTS)
  // And all of them again at once: returning launches.
  expect(failures(await launchAll(Array.from({ length: STUDENTS }, (_, i) => ({ courseId: 'crowd', userId: `s${i}` }))))).toEqual([])
}, 120_000)

it(`lands ${STUDENTS} simultaneous launches across ${COURSES} courses none of which was launched before`, async () => {
  const everyone = Array.from({ length: COURSES }, (_, c) => [
    { courseId: `section-${c}`, userId: `t${c}` },
    ...Array.from({ length: STUDENTS / COURSES - 1 }, (_, i) => ({ courseId: `section-${c}`, userId: `s${i}` }))
  ]).flat()
  expect(failures(await launchAll(everyone))).toEqual([])
  expect(await app.db.models.courses.countDocuments({ contextId: { $regex: '^section-' } })).toBe(COURSES)
}, 120_000)

it('lands a student who launches in two tabs at once, both times, for fifty students at once', async () => {
  const twice = Array.from({ length: 50 }, (_, i) => ({ courseId: 'crowd', userId: `s${i}` })).flatMap((who) => [who, who])
  expect(failures(await launchAll(twice))).toEqual([])
}, 120_000)
