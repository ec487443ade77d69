import type { FastifyInstance } from 'fastify'
import type { Simulator } from '@mentorlink/simulator'
import { launchAs, seedCourse, startLmsFor } from '../helpers/lms'
import { startTestApp } from '../helpers/test-app'

let app: FastifyInstance
let sim: Simulator
const tool = { clientId: 'client-1', deploymentId: 'deploy-1' }
const STUDENTS = 200

beforeAll(async () => {
  app = await startTestApp()
  sim = await startLmsFor(app, tool)
  seedCourse(sim, 'crowd', [
    { id: 'teacher', name: 'Amara Okafor', roles: ['Instructor'] },
    ...Array.from({ length: STUDENTS }, (_, i) => ({ id: `s${i}`, name: `Student ${i}`, roles: ['Learner' as const] }))
  ])
})

afterAll(async () => {
  await sim?.close()
  await app?.close()
})

/** The first morning of term: every student of a course opens Mentorlink at once, each a first launch. */
it(`lands ${STUDENTS} simultaneous first launches of one course on their home page`, async () => {
  const results = await Promise.all(Array.from({ length: STUDENTS }, async (_, i) =>
    await launchAs(sim, { ...tool, courseId: 'crowd', userId: `s${i}` }).then(
      (r) => ({ launch: r.launch.status, home: r.home?.status, body: r.launchBody.slice(0, 200) }),
      (err: unknown) => ({ launch: 0, home: undefined, body: String(err) })
    )))
  const failed = results.filter((r) => r.launch !== 302 || r.home !== 200)
  expect(failed).toEqual([])
  expect(await app.db.models.memberships.countDocuments()).toBe(STUDENTS)
}, 120_000)
