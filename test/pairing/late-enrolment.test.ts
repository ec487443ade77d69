import type { FastifyInstance } from 'fastify'
import { Types } from 'mongoose'
import type { Simulator } from '@mentorlink/simulator'
import { launchAs, seedCourse, startLmsFor } from '../helpers/lms'
import { startTestApp } from '../helpers/test-app'
import { enrolStudent, eventually } from './support'

let app: FastifyInstance
let sim: Simulator
const base = { clientId: 'client-1', deploymentId: 'deploy-1', courseId: 'late101' }
const tokens: Record<string, string> = {}
const mentorIds: Record<string, string> = {}

const userId = async (sub: string): Promise<Types.ObjectId> => (await app.db.models.users.findOne({ sub }).lean())?._id as Types.ObjectId
const activePairs = async (): Promise<Map<string, string>> => {
  const rows = await app.db.models.pairings.find({ status: 'active' }).lean()
  const subs = new Map((await app.db.models.users.find().lean()).map((u) => [String(u._id), u.sub]))
  return new Map(rows.map((r) => [subs.get(String(r.studentUserId)) ?? '', String(r.mentorId)]))
}
const enrol = (id: string): void => { enrolStudent(sim, 'late101', id) }
const launch = async (who: string): Promise<void> => {
  const result = await launchAs(sim, { ...base, userId: who })
  if (!result.sessionToken) throw new Error(`launch of ${who} failed: ${result.launch.status} ${result.launchBody.slice(0, 300)} ${result.home?.status ?? ''} ${result.home?.url ?? ''}`)
  tokens[who] = result.sessionToken
}

beforeAll(async () => {
  app = await startTestApp()
  sim = await startLmsFor(app)
  const students = Array.from({ length: 6 }, (_, i) => ({ id: `s${i}`, name: `Student ${i}`, roles: ['Learner' as const] }))
  seedCourse(sim, 'late101', [{ id: 'prof', name: 'Amara Okafor', roles: ['Instructor'] }, ...students])
  for (const who of ['prof', ...students.map((s) => s.id)]) await launch(who)
  const course = await app.db.models.courses.findOne({ contextId: 'late101' }).lean()
  const pool = await app.db.models.pools.create({ issuer: course?.issuer, clientId: course?.clientId, deploymentId: course?.deploymentId, ownerCourseId: course?._id })
  await app.db.models.courses.updateOne({ _id: course?._id }, { $set: { poolId: pool._id } })
  const mentors = await app.db.models.mentors.insertMany(['a', 'b', 'c'].map((k) => ({
    poolId: pool._id, name: `Mentor ${k}`, email: `${k}@example.com`, expertise: ['finance'], capacity: 4, source: 'external'
  })))
  mentors.forEach((m, i) => { mentorIds[['a', 'b', 'c'][i] ?? ''] = String(m._id) })
  const headers = { authorization: `Bearer ${tokens.prof ?? ''}`, 'content-type': 'application/json' }
  const run = await (await fetch(`${app.config.publicUrl}/api/v1/pairing/runs`, { method: 'POST', headers: { authorization: headers.authorization } })).json() as { runId: string }
  await fetch(`${app.config.publicUrl}/api/v1/pairing/publish`, { method: 'POST', headers, body: JSON.stringify({ runId: run.runId }) })
})

afterAll(async () => {
  await sim?.close()
  await app?.close()
})

describe('after publication', () => {
  it('pairs a late student on their first launch without moving anyone else', async () => {
    const before = await activePairs()
    expect(before.size).toBe(6)
    enrol('late')
    await launch('late')
    await eventually(async () => (await activePairs()).has('late'), 'the late student to be paired')
    const after = await activePairs()
    for (const [student, mentor] of before) expect(after.get(student)).toBe(mentor)
    const pairing = await app.db.models.pairings.findOne({ studentUserId: await userId('late') }).lean()
    expect(pairing?.source).toBe('late-enrolment')
  })

  it('keeps capacities when several late students arrive at once', async () => {
    const more = ['x0', 'x1']
    more.forEach(enrol)
    await Promise.all(more.map(launch))
    await eventually(async () => { const p = await activePairs(); return more.every((id) => p.has(id)) }, 'late pairings')
    const loads = new Map<string, number>()
    for (const mentor of (await activePairs()).values()) loads.set(mentor, (loads.get(mentor) ?? 0) + 1)
    for (const load of loads.values()) expect(load).toBeLessThanOrEqual(4)
  })

  it('re-pairs a deactivated mentor\'s mentees and nobody else', async () => {
    const before = await activePairs()
    const target = [...before.values()][0] as string
    const res = await fetch(`${app.config.publicUrl}/api/v1/pool/mentors/${target}`, {
      method: 'PATCH', headers: { authorization: `Bearer ${tokens.prof ?? ''}`, 'content-type': 'application/json' }, body: JSON.stringify({ active: false })
    })
    expect(res.status).toBe(200)
    const after = await activePairs()
    const displaced = [...before].filter(([, m]) => m === target).map(([s]) => s)
    expect(displaced.length).toBeGreaterThan(0)
    for (const [student, mentor] of before) {
      if (mentor === target) expect(after.get(student)).not.toBe(target)
      else expect(after.get(student)).toBe(mentor)
    }
    const moved = await app.db.models.pairings.findOne({ studentUserId: await userId(displaced[0] ?? '') }).lean()
    expect(moved?.history[0]?.reason).toMatch(/^mentor deactivated/)
  })

  it('releases a dropped student and places a student the roster sync brought in', async () => {
    const before = await activePairs()
    // A student the deactivation did not move: the page must still list a moved one afterwards.
    const moved = new Set((await app.db.models.pairings.find({}).lean()).filter((p) => (p.history ?? []).length > 0).map((p) => String(p.studentUserId)))
    const candidates = [...before.keys()].filter((s) => s.startsWith('s'))
    const ids = await Promise.all(candidates.map(async (s) => await userId(s)))
    const leaving = candidates.find((_, i) => !moved.has(String(ids[i]))) as string
    sim.setMemberStatus('late101', leaving, 'Removed')
    enrol('r1')
    const course = await app.db.models.courses.findOne({ contextId: 'late101' }).lean()
    await app.db.models.mentors.create({ poolId: course?.poolId, name: 'Mentor d', email: 'd@example.com', capacity: 5, source: 'external' })
    const res = await fetch(`${app.config.publicUrl}/api/v1/roster/sync`, { method: 'POST', headers: { authorization: `Bearer ${tokens.prof ?? ''}` } })
    expect(res.status).toBe(200)
    await eventually(async () => (await activePairs()).has('r1'), 'the roster student to be paired')
    const after = await activePairs()
    expect(after.has(leaving)).toBe(false)
    const released = await app.db.models.pairings.findOne({ studentUserId: await userId(leaving) }).lean()
    expect(released).toMatchObject({ status: 'released', releaseReason: 'dropped from the course' })
    for (const [student, mentor] of before) if (student !== leaving) expect(after.get(student)).toBe(mentor)
  })

  it('lists every change since publication on the Pairing page, late students placed without a history among them', async () => {
    const res = await fetch(`${app.config.publicUrl}/instructor/pairing?session=${encodeURIComponent(tokens.prof ?? '')}`, { headers: { accept: 'text/html' } })
    expect(res.status).toBe(200)
    const html = await res.text()
    for (const what of ['Paired after publication', 'Moved to another mentor', 'No longer paired', 'mentor deactivated', 'dropped from the course']) expect(html).toContain(what)
  })
})

it('looks for changes since publication only once the pairing has changed', async () => {
  const course = await app.db.models.courses.findOne({ contextId: 'late101' }).lean()
  await app.db.models.pairingPlans.updateOne({ courseId: course?._id }, { $unset: { changedSincePublication: 1 } })
  let pairingReads = 0
  const client = app.db.connection.getClient()
  const count = (e: { commandName: string, command: Record<string, unknown> }) => { if (e.command[e.commandName] === 'pairings') pairingReads++ }
  client.on('commandStarted', count)
  const html = await (await fetch(`${app.config.publicUrl}/instructor/pairing?session=${encodeURIComponent(tokens.prof ?? '')}`, { headers: { accept: 'text/html' } })).text()
  client.off('commandStarted', count)
  expect(pairingReads).toBe(0)
  expect(html).not.toContain('Paired after publication')
})

