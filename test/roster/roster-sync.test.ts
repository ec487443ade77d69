import type { FastifyInstance } from 'fastify'
import { createEventBus } from '../../src/domain/events/event-bus'
import type { Simulator } from '@mentorlink/simulator'
import { launchAs, seedCourse, startLmsFor } from '../helpers/lms'
import { startTestApp } from '../helpers/test-app'
import { api, courseOf, enrol, membershipOf, rosterSyncFor, waitForSync } from './support'

let app: FastifyInstance
let sim: Simulator
let call: ReturnType<typeof api>
const tool = { clientId: 'client-1', deploymentId: 'deploy-1' }
const COURSE = 'big'
const students = Array.from({ length: 120 }, (_, i) => `s${String(i).padStart(3, '0')}`)

beforeAll(async () => {
  app = await startTestApp()
  sim = await startLmsFor(app, tool)
  seedCourse(sim, COURSE, [
    { id: 'prof', name: 'Amara Okafor', roles: ['Instructor'] },
    { id: 'coach', name: 'Daniel Reyes', roles: ['Mentor'] },
    ...students.map((id) => ({ id, name: `Student ${id}`, roles: ['Learner' as const] }))
  ])
  const { sessionToken } = await launchAs(sim, { ...tool, courseId: COURSE, userId: 'prof' })
  call = api(app, sessionToken)
  await waitForSync(app, COURSE) // the first instructor launch syncs the never-synced roster in the background
})

afterAll(async () => {
  await sim?.close()
  await app?.close()
})

afterEach(() => { sim.faults.clear() })

const statusOf = async (sub: string) => (await membershipOf(app, COURSE, sub))?.status

describe('roster sync from Names and Roles', () => {
  it('synced all 122 members over 3 pages after the first instructor launch, mentors as plain memberships', async () => {
    const record = await waitForSync(app, COURSE)
    expect(record).toMatchObject({ lastSyncStatus: 'succeeded', lastTrigger: 'launch', counts: { pages: 3, listed: 122, added: 121, dropped: 0 } })
    const { _id: courseId } = await courseOf(app, COURSE)
    expect(await app.db.models.memberships.countDocuments({ courseId, status: 'active' })).toBe(122)
    expect(await app.db.models.memberships.countDocuments({ courseId, role: 'student' })).toBe(120)
    expect(await membershipOf(app, COURSE, 'coach')).toMatchObject({ role: 'mentor', status: 'active' })
  })

  it('follows every page on demand and refreshes names and emails', async () => {
    const user = sim.state.users.get('s001')
    if (user) Object.assign(user, { name: 'Renamed Student', givenName: 'Renamed', email: 'renamed@example.edu' })
    const requests = sim.stats.membershipRequests ?? 0
    const res = await call('POST', '/api/v1/roster/sync')
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ status: 'succeeded', counts: { pages: 3, listed: 122, added: 0, reactivated: 0, dropped: 0, skipped: 0 } })
    expect(sim.stats.membershipRequests).toBe(requests + 3)
    const course = await courseOf(app, COURSE)
    expect(await app.db.models.users.findOne({ issuer: course.issuer, sub: 's001' }).lean())
      .toMatchObject({ name: 'Renamed Student', givenName: 'Renamed', email: 'renamed@example.edu' })
  })

  it('marks removed and inactive members dropped without deleting them, tells listeners, and reactivates them', async () => {
    const told: Array<{ courseId: string, userIds: string[] }> = []
    const events = createEventBus((err) => { throw err })
    events.subscribe('StudentsDropped', ({ courseId, studentUserIds }) => { told.push({ courseId, userIds: studentUserIds }) })
    const rosterSync = rosterSyncFor(app, events)
    const course = await courseOf(app, COURSE)
    sim.setMemberStatus(COURSE, 's002', 'Removed')
    sim.setMemberStatus(COURSE, 's003', 'Inactive')

    const dropped = await rosterSync.sync(String(course._id), 'manual')
    expect(dropped.counts).toMatchObject({ listed: 121, dropped: 2 })
    expect([await statusOf('s002'), await statusOf('s003')]).toEqual(['dropped', 'dropped'])
    const ids = await app.db.models.users.find({ issuer: course.issuer, sub: { $in: ['s002', 's003'] } }).lean()
    expect(ids).toHaveLength(2)
    expect(told).toHaveLength(1)
    expect(String(told[0]?.courseId)).toBe(String(course._id))
    expect(told[0]?.userIds.map(String).sort()).toEqual(ids.map((u) => String(u._id)).sort())

    enrol(sim, COURSE, 's002', ['Learner'])
    sim.setMemberStatus(COURSE, 's003', 'Active')
    const back = await rosterSync.sync(String(course._id), 'manual')
    expect(back.counts).toMatchObject({ reactivated: 2, dropped: 0 })
    expect([await statusOf('s002'), await statusOf('s003')]).toEqual(['active', 'active'])
    expect(told).toHaveLength(1)
    await rosterSync.close()
  })

  it('drops a member who launched but is not on the roster, like a test student', async () => {
    enrol(sim, COURSE, 'tester', ['Learner'])
    expect((await launchAs(sim, { ...tool, courseId: COURSE, userId: 'tester' })).launch.status).toBe(302)
    sim.setMemberStatus(COURSE, 'tester', 'Removed')
    expect((await call('POST', '/api/v1/roster/sync')).status).toBe(200)
    expect(await statusOf('tester')).toBe('dropped')
  })

  it('changes no status when a page fails, and records the error', async () => {
    sim.setMemberStatus(COURSE, 's004', 'Removed')
    sim.faults.add({ route: 'memberships', times: 1 }) // the first page passes
    sim.faults.add({ route: 'memberships', status: 500 })
    const res = await call('POST', '/api/v1/roster/sync')
    expect(res.status).toBe(502)
    expect(await res.json()).toMatchObject({ error: 'ROSTER_SYNC_FAILED', message: expect.stringContaining('page 2 answered HTTP 500') })
    expect(await statusOf('s004')).toBe('active')
    const status = await (await call('GET', '/api/v1/roster/sync')).json()
    expect(status).toMatchObject({ running: false, last: { status: 'failed', error: expect.stringContaining('page 2 answered HTTP 500'), counts: null } })

    sim.faults.clear()
    expect((await call('POST', '/api/v1/roster/sync')).status).toBe(200)
    expect(await statusOf('s004')).toBe('dropped')
  })

  it('gets a fresh access token once when the platform answers 401', async () => {
    sim.expireAllTokens()
    const tokens = sim.stats.tokenRequests
    const requests = sim.stats.membershipRequests ?? 0
    const res = await call('POST', '/api/v1/roster/sync')
    expect(res.status).toBe(200)
    expect(sim.stats.tokenRequests).toBe(tokens + 1)
    expect(sim.stats.membershipRequests).toBe(requests + 4)
  })
})
