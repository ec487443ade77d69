import type { FastifyInstance } from 'fastify'
import { NRPS_CLAIM, type Simulator } from '@mentorlink/simulator'
import { launchAs, parseForm, seedCourse, startLmsFor } from '../helpers/lms'
import { startTestApp } from '../helpers/test-app'
import { api, courseOf, syncRecord, waitFor, waitForSync } from './support'

let app: FastifyInstance
let sim: Simulator
const tool = { clientId: 'client-1', deploymentId: 'deploy-1' }
const COURSE = 'mgt540'
const tokens: Record<string, string> = {}

beforeAll(async () => {
  app = await startTestApp()
  sim = await startLmsFor(app, tool)
  seedCourse(sim, COURSE, [
    { id: 'prof', name: 'Amara Okafor', roles: ['Instructor'] },
    { id: 'coach', name: 'Daniel Reyes', roles: ['Mentor'] },
    { id: 'stud', name: 'Lucia Ferreira', roles: ['Learner'] }
  ])
  seedCourse(sim, 'no-nrps', [{ id: 'prof2', name: 'Noor Haddad', roles: ['Instructor'] }])
  for (const userId of ['stud', 'coach', 'prof']) {
    tokens[userId] = (await launchAs(sim, { ...tool, courseId: COURSE, userId })).sessionToken ?? ''
  }
  await waitForSync(app, COURSE)
})

afterAll(async () => {
  await sim?.close()
  await app?.close()
})

afterEach(() => { sim.faults.clear() })

const page = async (path: string, init: RequestInit = {}) =>
  await fetch(`${app.config.publicUrl}${path}`, { redirect: 'manual', ...init, headers: { accept: 'text/html', ...init.headers } })
const ageLastSync = async (minutes: number) => {
  const { _id } = await courseOf(app, COURSE)
  const at = new Date(Date.now() - minutes * 60_000)
  await app.db.models.rosterSyncs.updateOne({ courseId: _id }, { $set: { lastSyncAt: at } })
  await app.db.models.courses.updateOne({ _id }, { $set: { rosterSyncedAt: at } }) // the launch reads it there
}

describe('automatic sync on instructor launch', () => {
  it('syncs a stale roster after an instructor launch, not a fresh one, and never on a student launch', async () => {
    const first = await syncRecord(app, COURSE)
    expect(first).toMatchObject({ lastSyncStatus: 'succeeded', lastTrigger: 'launch' })
    const requests = sim.stats.membershipRequests ?? 0

    expect((await launchAs(sim, { ...tool, courseId: COURSE, userId: 'prof' })).home?.status).toBe(200)
    await app.settled()
    expect(sim.stats.membershipRequests).toBe(requests)

    await ageLastSync(61)
    expect((await launchAs(sim, { ...tool, courseId: COURSE, userId: 'stud' })).home?.status).toBe(200)
    await app.settled()
    expect(sim.stats.membershipRequests).toBe(requests)

    const before = new Date()
    expect((await launchAs(sim, { ...tool, courseId: COURSE, userId: 'prof' })).home?.status).toBe(200)
    await waitForSync(app, COURSE, before)
    expect(sim.stats.membershipRequests).toBe(requests + 1)
  })

  it('keeps the launch working when the LMS roster service fails, and records the failure', async () => {
    await ageLastSync(61)
    sim.faults.add({ route: 'memberships', status: 503 })
    const before = new Date()
    const launch = await launchAs(sim, { ...tool, courseId: COURSE, userId: 'prof' })
    expect(launch.launch.status).toBe(302)
    expect(launch.home?.status).toBe(200)
    expect(await waitForSync(app, COURSE, before)).toMatchObject({ lastSyncStatus: 'failed', lastSyncError: expect.stringContaining('HTTP 503') })
  })
})

describe('the Roster page', () => {
  it('shows the last sync, counts, members and a Sync now button; the button starts a sync and the page shows progress', async () => {
    const res = await page(`/instructor/roster?session=${tokens.prof}`)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toMatch(/<a href="\/instructor\/roster\?session[^"]+" aria-current="page">Roster<\/a>/)
    expect(html).toContain('Last sync')
    for (const text of ['Amara Okafor', 'Daniel Reyes', 'Lucia Ferreira', 'stud@example.edu', 'Sync now', '/static/js/roster-sync.js']) expect(html).toContain(text)
    expect(html).toMatch(/<th scope="row">Students<\/th><td>1<\/td><td>0<\/td>/)

    await app.settled() // no sync of an earlier launch still running: the button starts one
    sim.faults.add({ route: 'memberships', latencyMs: 1500, times: 1 }) // keep the sync running while the page loads
    const requests = sim.stats.membershipRequests ?? 0
    const main = html.slice(html.indexOf('<main'))
    const form = parseForm(main.slice(main.indexOf('<form method="post"')))
    expect(form.action).toBe('/instructor/roster/sync')
    const posted = await page(form.action, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form.fields).toString() })
    expect(posted.status).toBe(303)
    const location = posted.headers.get('location') ?? ''
    expect(location).toMatch(/^\/instructor\/roster\?notice=started&session=/)
    await waitFor(async () => (sim.stats.membershipRequests ?? 0) > requests, 'the sync to ask the LMS')

    const during = await (await page(location)).text()
    expect(during).toContain('Roster sync started.')
    expect(during).toMatch(/<div id="sync-progress" class="sync-progress" data-status-url="\/api\/v1\/roster\/sync" data-session="[^"]+">/)
    expect(during).toContain('<progress id="sync-bar"')
    expect(during).toMatch(/<button type="submit" disabled>Sync now/)

    const again = await page(form.action, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form.fields).toString() })
    expect(again.headers.get('location')).toMatch(/notice=running/)

    const call = api(app, tokens.prof)
    const running = await (await call('GET', '/api/v1/roster/sync')).json()
    expect(running).toMatchObject({ available: true, running: true, progress: { phase: 'fetching' } })
    const done = await waitFor(async () => { const s = await (await call('GET', '/api/v1/roster/sync')).json() as { running: boolean }; return !s.running && s }, 'the sync to finish')
    expect(done).toMatchObject({ running: false, progress: null, last: { status: 'succeeded', trigger: 'manual', counts: { listed: 3 } } })
  })

  it('serves the progress script', async () => {
    const res = await fetch(`${app.config.publicUrl}/static/js/roster-sync.js`)
    expect(res.status).toBe(200)
    expect(await res.text()).toContain("authorization: 'Bearer '")
  })

  it('says so when the LMS offers no Names and Roles service', async () => {
    sim.tamperNextLaunch({ kind: 'removeClaim', claim: NRPS_CLAIM })
    const { sessionToken } = await launchAs(sim, { ...tool, courseId: 'no-nrps', userId: 'prof2' })
    const html = await (await page(`/instructor/roster?session=${sessionToken ?? ''}`)).text()
    expect(html).toContain('has not offered its Names and Roles service')
    expect(html).not.toContain('Sync now')
    const res = await api(app, sessionToken)('POST', '/api/v1/roster/sync')
    expect(res.status).toBe(409)
    expect(await res.json()).toMatchObject({ error: 'CONFLICT' })
  })
})

describe('one sync per course', () => {
  it('answers 409 while a sync holds the lease, and is not blocked by the expired lease of a crashed process', async () => {
    const call = api(app, tokens.prof)
    const requests = sim.stats.membershipRequests ?? 0
    sim.faults.add({ route: 'memberships', latencyMs: 1500, times: 1 })
    const first = call('POST', '/api/v1/roster/sync')
    // the first sync holds the lease from before its roster request reaches the LMS until the delayed answer
    await waitFor(async () => (sim.stats.membershipRequests ?? 0) > requests, 'the first sync to ask the LMS')
    const second = await call('POST', '/api/v1/roster/sync')
    expect(second.status).toBe(409)
    expect(await second.json()).toMatchObject({ message: 'A roster sync of this course is already running' })
    expect((await first).status).toBe(200)

    const { _id } = await courseOf(app, COURSE)
    // Another process's term of the course's sync lease: one that crashed (expired), then one still alive.
    const holdElsewhere = async (until: Date): Promise<string> => {
      const terms = await app.db.models.leases.find({ _id: { $regex: `^roster-sync:${String(_id)}#\\d+$` } }, { _id: 1 }).lean()
      const next = Math.max(0, ...terms.map((t) => Number(String(t._id).split('#')[1]))) + 1
      const id = `roster-sync:${String(_id)}#${next}`
      await app.db.models.leases.create({ _id: id, owner: 'elsewhere', expiresAt: until })
      return id
    }
    await holdElsewhere(new Date(Date.now() - 1000))
    expect((await call('POST', '/api/v1/roster/sync')).status).toBe(200)
    const alive = await holdElsewhere(new Date(Date.now() + 60_000))
    expect((await call('POST', '/api/v1/roster/sync')).status).toBe(409)
    await app.db.models.leases.updateOne({ _id: alive }, { $set: { released: true } })
  })

  it('lets exactly one of two simultaneous first syncs of a course run', async () => {
    const { _id } = await courseOf(app, COURSE)
    await app.db.models.rosterSyncs.deleteOne({ courseId: _id })
    const call = api(app, tokens.prof)
    const statuses = (await Promise.all([call('POST', '/api/v1/roster/sync'), call('POST', '/api/v1/roster/sync')])).map((r) => r.status)
    expect(statuses.sort()).toEqual([200, 409])
  })
})

describe('access', () => {
  it.each(['stud', 'coach'])('refuses %s the roster page, the sync button and the API with 403', async (who) => {
    const session = tokens[who] ?? ''
    expect((await page(`/instructor/roster?session=${session}`)).status).toBe(403)
    expect((await page('/instructor/roster/sync', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `session=${session}` })).status).toBe(403)
    expect((await api(app, session)('POST', '/api/v1/roster/sync')).status).toBe(403)
    expect((await api(app, session)('GET', '/api/v1/roster/sync')).status).toBe(403)
  })

  it('asks for a session without one', async () => {
    expect((await page('/instructor/roster')).status).toBe(401)
    expect((await page('/instructor/roster/sync', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' })).status).toBe(401)
    expect((await api(app, undefined)('POST', '/api/v1/roster/sync')).status).toBe(401)
  })

  it('documents the JSON routes with their schemas', async () => {
    const doc = await (await fetch(`${app.config.publicUrl}/docs/json`)).json() as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }
    expect(Object.keys(doc.paths['/api/v1/roster/sync'] ?? {}).sort()).toEqual(['get', 'post'])
    expect(Object.keys(doc.paths['/api/v1/roster/sync']?.post?.responses ?? {})).toEqual(expect.arrayContaining(['200', '409', '502']))
    expect(doc.paths['/instructor/roster']).toBeUndefined()
  })
})
