import type { FastifyInstance } from 'fastify'
import { Types } from 'mongoose'
import type { Simulator } from '@mentorlink/simulator'
import { launchAs, seedCourse, startLmsFor } from '../helpers/lms'
import { startTestApp } from '../helpers/test-app'

let app: FastifyInstance
let sim: Simulator
const base = { clientId: 'client-1', deploymentId: 'deploy-1', courseId: 'pair101' }
const tokens: Record<string, string> = {}
const mentorIds: Record<string, string> = {}
const userIdOf: Record<string, string> = {}

const api = async (path: string, who: string, init: RequestInit = {}): Promise<Response> =>
  await fetch(`${app.config.publicUrl}${path}`, {
    ...init, headers: { authorization: `Bearer ${tokens[who] ?? ''}`, ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers }
  })
const form = async (path: string, who: string, fields: Record<string, string>): Promise<Response> =>
  await fetch(`${app.config.publicUrl}${path}`, {
    method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams({ session: tokens[who] ?? '', ...fields }).toString()
  })

beforeAll(async () => {
  app = await startTestApp({ LOG_LEVEL: 'error' })
  sim = await startLmsFor(app)
  seedCourse(sim, 'pair101', [
    { id: 'prof', name: 'Amara Okafor', roles: ['Instructor'] },
    { id: 'm-lms', name: 'Daniel Reyes', roles: ['Mentor'] },
    { id: 's1', name: 'Lucia Ferreira', roles: ['Learner'] },
    { id: 's2', name: 'Tomasz Nowak', roles: ['Learner'] },
    { id: 's3', name: 'Priya Raman', roles: ['Learner'] }
  ])
  for (const who of ['prof', 'm-lms', 's1', 's2', 's3']) {
    const result = await launchAs(sim, { ...base, userId: who })
    if (!result.sessionToken) throw new Error(`launch of ${who} failed: ${result.launch.status} ${result.launchBody} ${result.home?.status} ${result.home?.html.slice(0, 500)}`)
    tokens[who] = result.sessionToken
    const user = await app.db.models.users.findOne({ sub: who }).lean()
    userIdOf[who] = String(user?._id)
  }
  const course = await app.db.models.courses.findOne({ contextId: 'pair101' }).lean()
  if (!course) throw new Error('no course: ' + JSON.stringify(await app.db.models.courses.find().lean()) + JSON.stringify(tokens))
  const pool = await app.db.models.pools.create({ issuer: course?.issuer, clientId: course?.clientId, deploymentId: course?.deploymentId, ownerCourseId: course?._id })
  await app.db.models.courses.updateOne({ _id: course?._id }, { $set: { poolId: pool._id } })
  const mentors = await app.db.models.mentors.insertMany([
    { poolId: pool._id, name: 'Daniel Reyes', email: 'daniel@example.com', organisation: 'Acme', expertise: ['negotiation', 'finance'], capacity: 3, source: 'lms', userId: new Types.ObjectId(userIdOf['m-lms']) },
    { poolId: pool._id, name: 'Helena Berg', email: 'helena@example.com', organisation: 'Borealis', expertise: ['rhetoric', 'leadership'], capacity: 2, source: 'external' }
  ])
  mentorIds.daniel = String(mentors[0]?._id)
  mentorIds.helena = String(mentors[1]?._id)
})

afterAll(async () => {
  await sim?.close()
  await app?.close()
})

describe('student intake', () => {
  it('shows the mentor profiles and saves interests, goals and a ranking', async () => {
    const page = await fetch(`${app.config.publicUrl}/student/intake?session=${tokens.s1 ?? ''}`)
    expect(await page.text()).toContain('Helena Berg')
    const res = await form('/student/intake', 's1', { interests: 'rhetoric, leadership', shortTermGoal: 'Speak at a board meeting', longTermGoal: 'Lead a company', choice1: mentorIds.helena ?? '' })
    expect(res.status).toBe(303)
    const intake = await app.db.models.intakes.findOne({ studentUserId: new Types.ObjectId(userIdOf.s1) }).lean()
    expect(intake?.interests).toEqual(['rhetoric', 'leadership'])
    expect(intake?.ranking.map(String)).toEqual([mentorIds.helena])
  })

  it('refuses a ranking naming an unknown mentor, naming the field, and keeps the old intake', async () => {
    const res = await form('/student/intake', 's1', { interests: 'x', choice1: new Types.ObjectId().toHexString() })
    expect(res.status).toBe(400)
    expect(await res.text()).toMatch(/Choice 1 is not an active mentor/)
    const intake = await app.db.models.intakes.findOne({ studentUserId: new Types.ObjectId(userIdOf.s1) }).lean()
    expect(intake?.interests).toEqual(['rhetoric', 'leadership'])
  })

  it('counts as filled only when it says something, and the instructor sees who said nothing', async () => {
    // s2 saves the form empty; s3 never opens it.
    expect((await form('/student/intake', 's2', { interests: '', shortTermGoal: ' ', longTermGoal: '' })).status).toBe(303)
    const page = await (await fetch(`${app.config.publicUrl}/instructor/pairing?session=${tokens.prof ?? ''}`)).text()
    expect(page).toMatch(/Intakes filled<\/dt><dd>1 of 3</)
    expect(page).toContain('2 students have not said anything in their intake yet')
    expect(page).toMatch(/<li>Priya Raman<\/li>/)
    expect(page).toMatch(/<li>Tomasz Nowak<\/li>/)
  })

  it('is for students only', async () => {
    expect((await fetch(`${app.config.publicUrl}/student/intake?session=${tokens.prof ?? ''}`)).status).toBe(403)
  })
})

describe('pairing run, adjust and publish', () => {
  it('is refused to students and mentors', async () => {
    expect((await api('/api/v1/pairing/runs', 's1', { method: 'POST' })).status).toBe(403)
    expect((await api('/api/v1/pairing/runs', 'm-lms', { method: 'POST' })).status).toBe(403)
    expect((await fetch(`${app.config.publicUrl}/instructor/pairing?session=${tokens.s2 ?? ''}`)).status).toBe(403)
  })

  it('proposes pairs with explanations, both methods compared, and stores every run', async () => {
    const res = await api('/api/v1/pairing/runs', 'prof', { method: 'POST' })
    expect(res.status).toBe(201)
    const run = await res.json() as { pairs: Array<{ studentId: string, mentorId: string, explanation: string }>, comparison: Record<string, { placed: number }> }
    expect(run.pairs).toHaveLength(3)
    const lucia = run.pairs.find((p) => p.studentId === userIdOf.s1)
    expect(lucia?.mentorId).toBe(mentorIds.helena)
    expect(lucia?.explanation).toMatch(/1st choice/)
    expect(run.comparison.stable?.placed).toBe(3)
    expect(run.comparison['best-fit']?.placed).toBe(3)
    const page = await (await fetch(`${app.config.publicUrl}/instructor/pairing?session=${tokens.prof ?? ''}`)).text()
    expect(page).toContain('Lucia Ferreira')
    // Plain words: an average as a percentage, no "justified complaints", the tie-break code kept under Advanced.
    expect(page).toMatch(/<td>\d+%<\/td>/)
    expect(page).not.toMatch(/Justified complaints|Tie-break seed/)
    expect(page).toContain('Advanced: draw again among equally good pairings')
    // Students who said nothing are flagged in the preview; Lucia filled hers.
    expect(page.match(/No intake<\/span> Paired on no information/g)).toHaveLength(2)
    expect(page).toContain('Mentor loads')
    expect(await app.db.models.pairingRuns.countDocuments({})).toBe(1)
  })

  it('is deterministic: the same inputs and seed give the same pairs', async () => {
    const first = await (await api('/api/v1/pairing/runs', 'prof', { method: 'POST' })).json() as { pairs: unknown[] }
    const second = await (await api('/api/v1/pairing/runs', 'prof', { method: 'POST' })).json() as { pairs: unknown[] }
    expect(second.pairs).toEqual(first.pairs)
  })

  it('asks the instructor to confirm publication, saying what it will do, and publishes nothing unconfirmed', async () => {
    const page = await (await fetch(`${app.config.publicUrl}/instructor/pairing?session=${tokens.prof ?? ''}`)).text()
    expect(page).toContain('Publishing will:')
    expect(page).toMatch(/pair <strong>3<\/strong> students with their mentor/)
    expect(page).toContain('I have checked this pairing')
    const latest = await (await api('/api/v1/pairing/latest', 'prof')).json() as { runId: string }
    const unconfirmed = await form('/instructor/pairing/publish', 'prof', { runId: latest.runId })
    expect(unconfirmed.status).toBe(400)
    expect(await unconfirmed.text()).toContain('I have checked this pairing')
    expect(await app.db.models.pairings.countDocuments({})).toBe(0)
  })

  it('forbids and moves pairs, then publishes; students and mentors see the result only after publication', async () => {
    expect(await (await fetch(`${app.config.publicUrl}/student?session=${tokens.s1 ?? ''}`)).text()).not.toContain('Helena Berg')
    expect((await form('/instructor/pairing/adjust', 'prof', { action: 'forbid', studentId: userIdOf.s1 ?? '', mentorId: mentorIds.helena ?? '' })).status).toBe(303)
    let latest = await (await api('/api/v1/pairing/latest', 'prof')).json() as { runId: string, pairs: Array<{ studentId: string, mentorId: string }> }
    expect(latest.pairs.find((p) => p.studentId === userIdOf.s1)?.mentorId).toBe(mentorIds.daniel)
    expect((await form('/instructor/pairing/adjust', 'prof', { action: 'move', studentId: userIdOf.s2 ?? '', mentorId: mentorIds.helena ?? '' })).status).toBe(303)
    latest = await (await api('/api/v1/pairing/latest', 'prof')).json() as typeof latest
    expect(latest.pairs.find((p) => p.studentId === userIdOf.s2)?.mentorId).toBe(mentorIds.helena)

    const published = await api('/api/v1/pairing/publish', 'prof', { method: 'POST', body: JSON.stringify({ runId: latest.runId }) })
    expect(await published.json()).toEqual({ runId: latest.runId, created: 3 })
    expect(await (await fetch(`${app.config.publicUrl}/student?session=${tokens.s1 ?? ''}`)).text()).toContain('Daniel Reyes')
    const mentorHome = await (await fetch(`${app.config.publicUrl}/mentor?session=${tokens['m-lms'] ?? ''}`)).text()
    expect(mentorHome).toContain('Lucia Ferreira')
    expect(mentorHome).not.toContain('Tomasz Nowak')
  })

  it('freezes pairs after publication', async () => {
    const res = await api('/api/v1/pairing/runs', 'prof', { method: 'POST' })
    expect(res.status).toBe(409)
    expect((await res.json() as { message: string }).message).toMatch(/frozen/)
  })

  it('names the bad field of an adjustment and changes nothing', async () => {
    const res = await api('/api/v1/pairing/publish', 'prof', { method: 'POST', body: JSON.stringify({ runId: 'nope' }) })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ fields: [{ field: 'body.runId' }] })
  })
})

describe('publishing a pairing that pairs nobody', () => {
  it('is refused unless the instructor says they mean it', async () => {
    seedCourse(sim, 'empty101', [{ id: 'prof-e', name: 'Grace Hopper', roles: ['Instructor'] }, { id: 's-e', name: 'Ada Lovelace', roles: ['Learner'] }])
    for (const who of ['prof-e', 's-e']) tokens[who] = (await launchAs(sim, { ...base, courseId: 'empty101', userId: who })).sessionToken ?? ''
    const run = await (await api('/api/v1/pairing/runs', 'prof-e', { method: 'POST' })).json() as { runId: string, pairs: unknown[] }
    expect(run.pairs).toEqual([])
    const page = await (await fetch(`${app.config.publicUrl}/instructor/pairing?session=${tokens['prof-e'] ?? ''}`)).text()
    expect(page).toContain('This pairing pairs nobody')
    const refused = await api('/api/v1/pairing/publish', 'prof-e', { method: 'POST', body: JSON.stringify({ runId: run.runId }) })
    expect(refused.status).toBe(409)
    expect((await refused.json() as { message: string }).message).toMatch(/pairs nobody/)
    expect((await api('/api/v1/pairing/place-unpaired', 'prof-e', { method: 'POST' })).status).toBe(409)
    const meant = await api('/api/v1/pairing/publish', 'prof-e', { method: 'POST', body: JSON.stringify({ runId: run.runId, allowEmpty: true }) })
    expect(await meant.json()).toEqual({ runId: run.runId, created: 0 })
  })

  it('pairs the students left without a mentor once mentors are added, on the instructor\'s word', async () => {
    const course = await app.db.models.courses.findOne({ contextId: 'empty101' }).lean()
    const pool = await app.db.models.pools.create({ issuer: course?.issuer, clientId: course?.clientId, deploymentId: course?.deploymentId, ownerCourseId: course?._id })
    await app.db.models.courses.updateOne({ _id: course?._id }, { $set: { poolId: pool._id } })
    await app.db.models.mentors.create({ poolId: pool._id, name: 'Katherine Johnson', email: 'katherine@example.com', expertise: ['data'], capacity: 2, source: 'external' })
    expect((await form('/instructor/pairing/place-unpaired', 's-e', {})).status).toBe(403)
    const placed = await form('/instructor/pairing/place-unpaired', 'prof-e', {})
    expect(placed.status).toBe(303)
    const page = await (await fetch(new URL(placed.headers.get('location') ?? '', app.config.publicUrl))).text()
    expect(page).toContain('Paired 1 student who had no mentor')
    expect(page).toContain('Paired after publication')
    // The published pairs say who is paired now, not what the empty publication said.
    expect(page).not.toContain('Nobody could be paired')
    expect(page).toContain('Paired after publication (see Changes since publication).')
    expect(page).toContain('Katherine Johnson')
    expect(page).not.toContain('No mentors in the pool yet')
    expect(await (await fetch(`${app.config.publicUrl}/student?session=${tokens['s-e'] ?? ''}`)).text()).toContain('Katherine Johnson')
    const again = await (await api('/api/v1/pairing/place-unpaired', 'prof-e', { method: 'POST' })).json()
    expect(again).toEqual({ placed: [], unplaced: [] })
  })
})

