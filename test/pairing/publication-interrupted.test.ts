import type { FastifyInstance } from 'fastify'
import { Types } from 'mongoose'
import type { Simulator } from '@mentorlink/simulator'
import { createEventBus } from '../../src/domain/events/event-bus'
import { createPairingService } from '../../src/domain/pairing-workflow/pairing-service'
import { connectDatabase } from '../../src/persistence/database'
import { createPairingWorkflowRepository } from '../../src/persistence/repositories/pairing-workflow.repository'
import { callApi, getPage, postForm } from '../helpers/http'
import { launchAs, seedCourse, startLmsFor } from '../helpers/lms'
import { startTestApp } from '../helpers/test-app'

/**
 * Defect 5 of issue 15: a database failure in the middle of publishing left some students paired, the run
 * unpublished and the instructor a generic error. Now nobody sees any pair of an unfinished publication, the Pairing
 * page says so, and publishing again finishes it with every student paired once.
 */
let app: FastifyInstance
let sim: Simulator
const tool = { clientId: 'client-1', deploymentId: 'deploy-1' }
const STUDENTS = Array.from({ length: 12 }, (_, i) => `s${i + 1}`)
const tokens: Record<string, string> = {}
let courseId = ''
let profId = ''

beforeAll(async () => {
  app = await startTestApp({ LOG_LEVEL: 'error' })
  sim = await startLmsFor(app, tool)
  seedCourse(sim, 'pub101', [
    { id: 'prof', name: 'Amara Okafor', roles: ['Instructor'] },
    ...STUDENTS.map((id, i) => ({ id, name: `Student ${i + 1}`, roles: ['Learner' as const] }))
  ])
  for (const who of ['prof', ...STUDENTS]) {
    const result = await launchAs(sim, { ...tool, courseId: 'pub101', userId: who })
    tokens[who] = result.sessionToken ?? ''
  }
  const course = await app.db.models.courses.findOne({ contextId: 'pub101' }).lean()
  courseId = String(course?._id)
  profId = String((await app.db.models.users.findOne({ sub: 'prof' }).lean())?._id)
  const pool = await app.db.models.pools.create({ issuer: course?.issuer, clientId: course?.clientId, deploymentId: course?.deploymentId, ownerCourseId: course?._id })
  await app.db.models.courses.updateOne({ _id: course?._id }, { $set: { poolId: pool._id } })
  await app.db.models.mentors.insertMany(['Daniel Reyes', 'Grace Ode', 'Helena Berg'].map((name) => ({
    poolId: pool._id, name, email: `${name.split(' ')[0]?.toLowerCase() ?? 'x'}@example.com`, capacity: 5, source: 'external'
  })))
})

afterAll(async () => {
  await sim?.close()
  await app?.close()
})

it('shows nobody a pair of a publication that failed midway, says so, and finishes when published again', async () => {
  const run = await app.pairing.run(courseId, profId)
  expect(run.result.pairs).toHaveLength(12)

  // Another process publishes and loses its database right after the pairs are written.
  const other = await connectDatabase(app.config.mongodbUri ?? '')
  const client = other.connection.getClient()
  const inserts = new Set<number>()
  client.on('commandStarted', (e) => { if (e.commandName === 'insert' && e.command.insert === 'pairings') inserts.add(e.requestId) })
  client.on('commandSucceeded', (e) => { if (inserts.has(e.requestId)) void other.connection.close(true) })
  const store = createPairingWorkflowRepository(other.models)
  const publisher = createPairingService({ ...store, withCourseLease: async (_c, work) => await work() }, createEventBus(() => {}))
  await expect(publisher.publish(courseId, run.id, { byUserId: profId })).rejects.toThrow()
  await other.close().catch(() => {})

  // The pairs are written, and nobody sees them: not the students, not the course table, not the page.
  expect(await app.db.models.pairings.countDocuments({ courseId: new Types.ObjectId(courseId) })).toBe(12)
  for (const s of STUDENTS) expect((await callApi(app.config.publicUrl, tokens[s] ?? '', 'GET', '/api/v1/pairing/mine')).body.mentorId).toBeNull()
  expect(await (await fetch(`${app.config.publicUrl}/student?session=${tokens.s1 ?? ''}`)).text()).toContain('has not published the mentor pairing yet')
  const page = await getPage(app.config.publicUrl, tokens.prof ?? '', '/instructor/pairing')
  expect(page.html).toContain('Publishing did not finish')
  expect(page.html).toContain('Publish the pairing below once more to finish')

  // Publishing again completes it: every student paired exactly once, the warning gone, one publication in the history.
  const again = await postForm(app.config.publicUrl, tokens.prof ?? '', '/instructor/pairing/publish', { runId: run.id, confirm: 'on' })
  expect(again.status).toBe(303)
  await app.settled()
  const pairings = await app.db.models.pairings.find({ courseId: new Types.ObjectId(courseId) }).lean()
  expect(pairings).toHaveLength(12)
  expect(new Set(pairings.map((p) => String(p.studentUserId))).size).toBe(12)
  expect(pairings.every((p) => p.status === 'active')).toBe(true)
  for (const s of STUDENTS) expect((await callApi(app.config.publicUrl, tokens[s] ?? '', 'GET', '/api/v1/pairing/mine')).body.mentorId).not.toBeNull()
  const after = await getPage(app.config.publicUrl, tokens.prof ?? '', '/instructor/pairing')
  expect(after.html).not.toContain('Publishing did not finish')
  const history = await callApi(app.config.publicUrl, tokens.prof ?? '', 'GET', '/api/v1/pairing/history')
  expect((history.body as Array<{ kind: string, count: number }>).filter((h) => h.kind === 'publish')).toEqual([expect.objectContaining({ count: 12 })])

  // Publishing once more changes nothing and announces nothing.
  expect((await postForm(app.config.publicUrl, tokens.prof ?? '', '/instructor/pairing/publish', { runId: run.id, confirm: 'on' })).status).toBe(303)
  expect((await callApi(app.config.publicUrl, tokens.prof ?? '', 'GET', '/api/v1/pairing/history')).body.filter((h: { kind: string }) => h.kind === 'publish')).toHaveLength(1)
})
