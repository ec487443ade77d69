import type { FastifyInstance } from 'fastify'
import { Types } from 'mongoose'
import type { Simulator } from '@mentorlink/simulator'
import { addDays, today } from '../../src/domain/term/calendar-day'
import { callApi, getPage, postForm } from '../helpers/http'
import { launchAs, seedCourse, startLmsFor } from '../helpers/lms'
import { startTestApp } from '../helpers/test-app'

/**
 * The whole life of a pairing over HTTP: run → confirm → publish → late students → pair the unpaired → move → swap →
 * rematch request accepted → re-pair preview → republish → unpublish → publish again → unpublish refused after an
 * activity. At each step every student and mentor sees exactly their current pairing, and the history has it all.
 */
let app: FastifyInstance
let sim: Simulator
const tool = { clientId: 'client-1', deploymentId: 'deploy-1' }
const tokens: Record<string, string> = {}
const ids: Record<string, string> = {}
const mentorOfUser: Record<string, string> = {}
const STUDENTS = ['s1', 's2', 's3', 's4']
const PEOPLE = [
  { id: 'prof', name: 'Amara Okafor', roles: ['Instructor' as const] },
  { id: 'm1', name: 'Daniel Reyes', roles: ['Mentor' as const] },
  { id: 'm2', name: 'Grace Ode', roles: ['Mentor' as const] },
  { id: 's1', name: 'Lucia Ferreira', roles: ['Learner' as const] },
  { id: 's2', name: 'Tomasz Nowak', roles: ['Learner' as const] },
  { id: 's3', name: 'Priya Raman', roles: ['Learner' as const] },
  { id: 's4', name: 'Samuel Idowu', roles: ['Learner' as const] },
  // They enrol after publication.
  { id: 's5', name: 'Mei Tanaka', roles: ['Learner' as const] },
  { id: 's6', name: 'Jonas Keller', roles: ['Learner' as const] }
]
const MENTORS = ['m1', 'm2']

const api = async (who: string, method: string, path: string, body?: unknown) => await callApi(app.config.publicUrl, tokens[who] ?? '', method, path, body)
const launch = async (courseId: string, who: string): Promise<void> => {
  const result = await launchAs(sim, { ...tool, courseId, userId: who })
  if (!result.sessionToken) throw new Error(`launch of ${who} failed: ${result.launch.status}`)
  tokens[who] = result.sessionToken
  ids[who] = String((await app.db.models.users.findOne({ sub: who }, { _id: 1 }).lean())?._id)
}
const courseOid = async () => (await app.db.models.courses.findOne({ contextId: 'life101' }, { _id: 1 }).lean())?._id
/** Who is paired with whom now, by student sub, from the database. */
const stored = async (): Promise<Map<string, string>> => {
  const rows = await app.db.models.pairings.find({ courseId: await courseOid(), status: 'active' }).lean()
  const sub = new Map(Object.entries(ids).map(([k, v]) => [v, k]))
  return new Map(rows.map((r) => [sub.get(String(r.studentUserId)) ?? '?', String(r.mentorId)]))
}
/** Every student and mentor asks who they are paired with; the answers must match the database exactly. */
async function everyoneSeesTheirPairing (): Promise<void> {
  await app.settled()
  const now = await stored()
  for (const s of [...STUDENTS, 's5', 's6'].filter((x) => tokens[x])) {
    const mine = await api(s, 'GET', '/api/v1/pairing/mine')
    expect({ s, mentor: mine.body.mentorId }).toEqual({ s, mentor: now.get(s) ?? null })
  }
  for (const m of MENTORS) {
    const mine = await api(m, 'GET', '/api/v1/pairing/mine')
    const expected = [...now].filter(([, mentor]) => mentor === mentorOfUser[m]).map(([s]) => ids[s]).sort()
    expect({ m, mentees: mine.body.menteeIds }).toEqual({ m, mentees: expected })
  }
}

beforeAll(async () => {
  app = await startTestApp({ LOG_LEVEL: 'error' })
  sim = await startLmsFor(app, tool)
  seedCourse(sim, 'life101', PEOPLE.slice(0, 7))
  seedCourse(sim, 'other101', [{ id: 'prof2', name: 'Noor Haddad', roles: ['Instructor'] }])
  for (const who of ['prof', ...MENTORS, ...STUDENTS]) await launch('life101', who)
  await launch('other101', 'prof2')
  const course = await app.db.models.courses.findOne({ contextId: 'life101' }).lean()
  const pool = await app.db.models.pools.create({ issuer: course?.issuer, clientId: course?.clientId, deploymentId: course?.deploymentId, ownerCourseId: course?._id })
  await app.db.models.courses.updateOne({ _id: course?._id }, { $set: { poolId: pool._id } })
  const [daniel, grace, helena] = await app.db.models.mentors.insertMany([
    { poolId: pool._id, name: 'Daniel Reyes', email: 'daniel@example.com', organisation: 'Acme', expertise: ['negotiation'], capacity: 2, source: 'lms', userId: new Types.ObjectId(ids.m1) },
    { poolId: pool._id, name: 'Grace Ode', email: 'grace@example.com', organisation: 'Borealis', expertise: ['rhetoric'], capacity: 2, source: 'lms', userId: new Types.ObjectId(ids.m2) },
    { poolId: pool._id, name: 'Helena Berg', email: 'helena@example.com', organisation: 'Cobalt', expertise: ['networking'], capacity: 1, source: 'external' }
  ])
  ids.daniel = String(daniel?._id)
  ids.grace = String(grace?._id)
  ids.helena = String(helena?._id)
  mentorOfUser.m1 = ids.daniel
  mentorOfUser.m2 = ids.grace
  expect((await api('prof', 'PUT', '/api/v1/term', { start: addDays(today(), -10), end: addDays(today(), 60) })).status).toBe(200)
})

afterAll(async () => {
  await sim?.close()
  await app?.close()
})

describe('the life of a pairing', () => {
  let runId = ''

  it('runs, asks for confirmation, and publishes; everyone then sees their pairing', async () => {
    const run = await api('prof', 'POST', '/api/v1/pairing/runs')
    expect(run.status).toBe(201)
    runId = run.body.runId
    expect(run.body.pairs).toHaveLength(4)
    expect((await postForm(app.config.publicUrl, tokens.prof ?? '', '/instructor/pairing/publish', { runId })).status).toBe(400)
    await everyoneSeesTheirPairing()
    expect((await stored()).size).toBe(0)
    const published = await postForm(app.config.publicUrl, tokens.prof ?? '', '/instructor/pairing/publish', { runId, confirm: 'on' })
    expect(published.status).toBe(303)
    expect((await stored()).size).toBe(4)
    await everyoneSeesTheirPairing()
  })

  it('places a late student in the last free seat and leaves the next one unpaired until seats are added', async () => {
    seedCourse(sim, 'life101', PEOPLE)
    await launch('life101', 's5')
    await app.settled()
    expect((await stored()).has('s5')).toBe(true)
    await launch('life101', 's6')
    await app.settled()
    expect((await stored()).has('s6')).toBe(false)
    await app.db.models.mentors.updateOne({ _id: new Types.ObjectId(ids.helena) }, { $set: { capacity: 3 } })
    const placed = await api('prof', 'POST', '/api/v1/pairing/place-unpaired')
    expect(placed.body.placed).toEqual([{ studentId: ids.s6, mentorId: ids.helena }])
    await everyoneSeesTheirPairing()
  })

  it('moves a student to a mentor with a free seat, and swaps two students, with reasons', async () => {
    await app.db.models.mentors.updateMany({ _id: { $in: [ids.daniel, ids.grace].map((x) => new Types.ObjectId(x)) } }, { $set: { capacity: 3 } })
    const before = await stored()
    const s1From = before.get('s1') ?? ''
    const to = [ids.daniel, ids.grace].find((m) => m !== s1From) ?? ''
    const noReason = await api('prof', 'POST', '/api/v1/pairing/changes', { action: 'move', studentId: ids.s1, mentorId: to, reason: ' ' })
    expect(noReason.status).toBe(400)
    expect(noReason.body.message).toMatch(/Say why you move this student/)
    expect((await api('prof', 'POST', '/api/v1/pairing/changes', { action: 'move', studentId: ids.s1, mentorId: to, reason: 'Schedules never matched' })).status).toBe(204)
    expect((await stored()).get('s1')).toBe(to)
    const now = await stored()
    const [a, b] = ['s2', 's3', 's4', 's5'].flatMap((x, _, all) => all.filter((y) => now.get(y) !== now.get(x)).map((y) => [x, y]))[0] ?? []
    if (!a || !b) throw new Error('no two students with different mentors')
    const page = await postForm(app.config.publicUrl, tokens.prof ?? '', '/instructor/pairing/change', { action: 'swap', studentId: ids[a] ?? '', otherStudentId: ids[b] ?? '', reason: 'Better fit of interests' })
    expect(page.status).toBe(303)
    expect(page.location).toContain('notice=swapped')
    const after = await stored()
    expect([after.get(a), after.get(b)]).toEqual([now.get(b), now.get(a)])
    // A move to a full mentor is refused on the page with the reason, nothing changed.
    await app.db.models.mentors.updateOne({ _id: new Types.ObjectId(ids.helena) }, { $set: { capacity: 1 } })
    const stranger = [...after].find(([, m]) => m !== ids.helena)?.[0] ?? ''
    const full = await postForm(app.config.publicUrl, tokens.prof ?? '', '/instructor/pairing/change', { action: 'move', studentId: ids[stranger] ?? '', mentorId: ids.helena ?? '', reason: 'Try' })
    expect(full.status).toBe(409)
    expect(full.html).toContain('Helena Berg has no free seat')
    expect(await stored()).toEqual(after)
    await app.db.models.mentors.updateOne({ _id: new Types.ObjectId(ids.helena) }, { $set: { capacity: 3 } })
    await everyoneSeesTheirPairing()
  })

  it('takes a rematch request from a student, privately, and the instructor accepts it by moving them', async () => {
    const asked = await api('s4', 'POST', '/api/v1/pairing/my-requests', { reason: 'We work in different time zones' })
    expect(asked.status).toBe(201)
    expect((await api('s4', 'POST', '/api/v1/pairing/my-requests', { reason: 'Again' })).status).toBe(409)
    // Nobody else sees the request or its reason: not another student, not the mentor, not the other course's instructor.
    expect((await api('s1', 'GET', '/api/v1/pairing/my-requests')).body).toEqual([])
    expect((await api('m1', 'GET', '/api/v1/pairing/my-requests')).body).toEqual([])
    expect((await api('prof2', 'GET', '/api/v1/pairing/requests')).body).toEqual([])
    expect((await api('s1', 'GET', '/api/v1/pairing/requests')).status).toBe(403)
    // A mentor asks only about their own mentees.
    const s4Mentor = (await stored()).get('s4')
    const notTheirs = MENTORS.find((m) => mentorOfUser[m] !== s4Mentor) ?? 'm1'
    expect((await api(notTheirs, 'POST', '/api/v1/pairing/my-requests', { studentId: ids.s4, reason: 'x' })).status).toBe(403)
    const queue = await api('prof', 'GET', '/api/v1/pairing/requests')
    expect(queue.body).toEqual([expect.objectContaining({ id: asked.body.id, studentId: ids.s4, byRole: 'student', reason: 'We work in different time zones', status: 'open' })])
    expect((await getPage(app.config.publicUrl, tokens.prof ?? '', '/instructor/pairing')).html).toContain('We work in different time zones')
    const loads = [...(await stored()).values()]
    const target = [ids.daniel, ids.grace, ids.helena].find((m) => m !== s4Mentor && loads.filter((x) => x === m).length < 3) ?? ''
    expect((await api('prof2', 'POST', `/api/v1/pairing/requests/${asked.body.id as string}/decision`, { decision: 'accept', mentorId: target })).status).toBe(404)
    const accepted = await api('prof', 'POST', `/api/v1/pairing/requests/${asked.body.id as string}/decision`, { decision: 'accept', mentorId: target, note: 'Moved you to a mentor in your zone' })
    expect(accepted.status).toBe(204)
    expect((await stored()).get('s4')).toBe(target)
    const mine = await api('s4', 'GET', '/api/v1/pairing/my-requests')
    expect(mine.body).toEqual([expect.objectContaining({ status: 'accepted', note: 'Moved you to a mentor in your zone', toMentorId: target })])
    expect((await api('prof', 'POST', `/api/v1/pairing/requests/${asked.body.id as string}/decision`, { decision: 'decline', note: 'late' })).status).toBe(409)
    await everyoneSeesTheirPairing()
  })

  it('previews a re-pair showing exactly who changes mentor, and republishes only when asked', async () => {
    const before = await stored()
    const preview = await api('prof', 'POST', '/api/v1/pairing/repair-preview')
    expect(preview.status).toBe(200)
    expect(await stored()).toEqual(before)
    const proposal = new Map(preview.body.changes.map((c: { studentId: string, toMentorId: string | null }) => [c.studentId, c.toMentorId]))
    for (const c of preview.body.changes as Array<{ studentId: string, fromMentorId: string | null }>) {
      const sub = Object.entries(ids).find(([, v]) => v === c.studentId)?.[0] ?? ''
      expect(c.fromMentorId).toBe(before.get(sub) ?? null)
    }
    const page = await getPage(app.config.publicUrl, tokens.prof ?? '', '/instructor/pairing')
    expect(page.html).toContain('Re-pair preview')
    const republished = await api('prof', 'POST', '/api/v1/pairing/republish', { runId: preview.body.runId, reason: 'The pool changed a lot' })
    expect(republished.status).toBe(200)
    const after = await stored()
    for (const [sub, mentor] of before) {
      const id = ids[sub] ?? ''
      expect({ sub, mentor: after.get(sub) ?? null }).toEqual({ sub, mentor: proposal.has(id) ? proposal.get(id) : mentor })
    }
    expect((await api('prof', 'POST', '/api/v1/pairing/republish', { runId: preview.body.runId, reason: 'again' })).status).toBe(409)
    await everyoneSeesTheirPairing()
  })

  it('unpublishes while nobody has done anything together, and publishes again', async () => {
    expect((await api('s1', 'POST', '/api/v1/pairing/unpublish', { reason: 'x' })).status).toBe(403)
    const back = await api('prof', 'POST', '/api/v1/pairing/unpublish', { reason: 'Wrong pool used' })
    expect(back.body.released).toBe(6)
    expect((await stored()).size).toBe(0)
    await everyoneSeesTheirPairing()
    const run = await api('prof', 'POST', '/api/v1/pairing/runs')
    expect(run.status).toBe(201)
    runId = run.body.runId
    expect((await api('prof', 'POST', '/api/v1/pairing/publish', { runId })).status).toBe(200)
    expect((await stored()).size).toBe(6)
    await everyoneSeesTheirPairing()
  })

  it('refuses to unpublish once a mentor and student recorded an activity together', async () => {
    // Any pair with an LMS mentor (who can record): the pairing may give s1 an external mentor, and Daniel no one.
    const pair = [...(await stored())].flatMap(([student, mentorId]) => {
      const mentor = MENTORS.find((m) => mentorOfUser[m] === mentorId)
      return mentor === undefined ? [] : [{ student, mentor }]
    })[0]
    if (pair === undefined) throw new Error('no student is paired with an LMS mentor')
    const recorded = await api(pair.mentor, 'POST', '/api/v1/activities', { kind: 'session', studentUserId: ids[pair.student] ?? '', date: addDays(today(), -1), durationMinutes: 60, topics: ['Bargaining'] })
    expect(recorded.status).toBe(201)
    const refused = await api('prof', 'POST', '/api/v1/pairing/unpublish', { reason: 'Too late' })
    expect(refused.status).toBe(409)
    expect(refused.body.message).toMatch(/started recording activities together/)
    expect((await stored()).size).toBe(6)
    expect((await getPage(app.config.publicUrl, tokens.prof ?? '', '/instructor/pairing')).html).not.toContain('name="confirm" required> Take the pairing back')
  })

  it('keeps the whole history: who, when, why, on the page and in the JSON API', async () => {
    const history = await api('prof', 'GET', '/api/v1/pairing/history?limit=200')
    expect(history.status).toBe(200)
    const kinds = new Set((history.body as Array<{ kind: string }>).map((h) => h.kind))
    for (const kind of ['run', 'publish', 'place', 'move', 'swap', 'request', 'request-accepted', 'repair-preview', 'republish', 'unpublish']) expect(kinds).toContain(kind)
    const moved = (history.body as Array<{ kind: string, reason: string, byUserId: string | null, studentId: string }>).filter((h) => h.kind === 'move' && h.studentId === ids.s1).at(-1)
    expect(moved).toMatchObject({ reason: 'Schedules never matched', byUserId: ids.prof })
    const late = (history.body as Array<{ kind: string, byUserId: string | null, studentId: string }>).find((h) => h.kind === 'place' && h.studentId === ids.s5)
    expect(late?.byUserId).toBeNull()
    expect((await api('prof', 'GET', '/api/v1/pairing/history?limit=0')).status).toBe(400)
    expect((await api('prof2', 'GET', '/api/v1/pairing/history')).body).toEqual([])
    expect((await api('m1', 'GET', '/api/v1/pairing/history')).status).toBe(403)
    const page = await getPage(app.config.publicUrl, tokens.prof ?? '', '/instructor/pairing')
    expect(page.html).toContain('Lucia Ferreira moved from')
    expect(page.html).toContain('Schedules never matched')
    expect(page.html).toContain('Mentorlink (automatic)')
  })
})
