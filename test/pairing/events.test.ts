import type { FastifyInstance } from 'fastify'
import type { DomainEvent, DomainEventType, EventOf } from '../../src/domain/events/domain-events'
import type { Simulator } from '@mentorlink/simulator'
import { launchAs, seedCourse, startLmsFor } from '../helpers/lms'
import { startTestApp } from '../helpers/test-app'
import { enrolStudent, eventually } from './support'

let app: FastifyInstance
let sim: Simulator
let courseId = ''
const base = { clientId: 'client-1', deploymentId: 'deploy-1', courseId: 'events101' }
const tokens: Record<string, string> = {}
const seen: DomainEvent[] = []

const PAIRING_EVENTS = ['PairingPublished', 'StudentsPlaced', 'PairMoved', 'PairReleased', 'StudentsDropped', 'MentorDeactivated'] as const
const eventsOf = <T extends DomainEventType>(type: T): Array<EventOf<T>> => seen.filter((e): e is EventOf<T> => e.type === type)
const userId = async (sub: string): Promise<string> => String((await app.db.models.users.findOne({ sub }).lean())?._id)
const activePairs = async (): Promise<Map<string, string>> =>
  new Map((await app.db.models.pairings.find({ courseId, status: 'active' }).lean()).map((p) => [String(p.studentUserId), String(p.mentorId)]))
const call = async (method: string, path: string, body?: unknown): Promise<Response> =>
  await fetch(`${app.config.publicUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${tokens.prof ?? ''}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
const launch = async (who: string): Promise<void> => {
  const result = await launchAs(sim, { ...base, userId: who })
  if (!result.sessionToken) throw new Error(`launch of ${who} failed: ${result.launch.status}`)
  tokens[who] = result.sessionToken
}

beforeAll(async () => {
  app = await startTestApp()
  sim = await startLmsFor(app)
  app.events.subscribe(PAIRING_EVENTS, (event) => { seen.push(event) })
  const students = Array.from({ length: 6 }, (_, i) => ({ id: `s${i}`, name: `Student ${i}`, roles: ['Learner' as const] }))
  seedCourse(sim, 'events101', [{ id: 'prof', name: 'Amara Okafor', roles: ['Instructor'] }, ...students])
  for (const who of ['prof', ...students.map((s) => s.id)]) await launch(who)
  const course = await app.db.models.courses.findOne({ contextId: 'events101' }).lean()
  courseId = String(course?._id)
  const pool = await app.db.models.pools.create({ issuer: course?.issuer, clientId: course?.clientId, deploymentId: course?.deploymentId, ownerCourseId: course?._id })
  await app.db.models.courses.updateOne({ _id: course?._id }, { $set: { poolId: pool._id } })
  await app.db.models.mentors.insertMany(['a', 'b', 'c'].map((k) => ({
    poolId: pool._id, name: `Mentor ${k}`, email: `${k}@example.com`, expertise: ['finance'], capacity: 5, source: 'external'
  })))
})

afterAll(async () => {
  await sim?.close()
  await app?.close()
})

describe('pairing events', () => {
  it('announces a publication with every paired student', async () => {
    const run = await (await call('POST', '/api/v1/pairing/runs')).json() as { runId: string }
    expect((await call('POST', '/api/v1/pairing/publish', { runId: run.runId })).status).toBe(200)
    const paired = [...(await activePairs()).keys()]
    expect(paired).toHaveLength(6)
    const published = eventsOf('PairingPublished')
    expect(published).toHaveLength(1)
    expect(published[0]).toMatchObject({ courseId, runId: run.runId })
    expect([...published[0]?.studentUserIds ?? []].sort()).toEqual(paired.sort())
  })

  it('announces a late student placed on their first launch', async () => {
    enrolStudent(sim, 'events101', 'late')
    await launch('late')
    const late = await userId('late')
    await eventually(() => eventsOf('StudentsPlaced').some((e) => e.placed.some((p) => p.studentUserId === late)), 'StudentsPlaced for the late student')
    expect(eventsOf('StudentsPlaced').find((e) => e.placed.some((p) => p.studentUserId === late))).toEqual({
      type: 'StudentsPlaced', courseId, placed: [{ studentUserId: late, mentorId: (await activePairs()).get(late) }]
    })
  })

  it('announces a roster drop and the pairing it releases', async () => {
    sim.setMemberStatus('events101', 's0', 'Removed')
    expect((await call('POST', '/api/v1/roster/sync')).status).toBe(200)
    const s0 = await userId('s0')
    expect(eventsOf('StudentsDropped')).toEqual([{ type: 'StudentsDropped', courseId, studentUserIds: [s0] }])
    expect(eventsOf('PairReleased')).toEqual([{ type: 'PairReleased', courseId, studentUserId: s0, reason: 'dropped from the course' }])
  })

  it("announces each of a deactivated mentor's mentees moved", async () => {
    const before = await activePairs()
    const target = [...before.values()][0] as string
    const mentees = [...before].filter(([, m]) => m === target).map(([s]) => s)
    expect((await call('PATCH', `/api/v1/pool/mentors/${target}`, { active: false })).status).toBe(200)
    expect(eventsOf('MentorDeactivated')).toEqual([expect.objectContaining({ courseId, mentorId: target })])
    const after = await activePairs()
    const moved = eventsOf('PairMoved')
    expect(moved.map((e) => e.studentUserId).sort()).toEqual(mentees.sort())
    for (const e of moved) expect(e).toEqual({ type: 'PairMoved', courseId, studentUserId: e.studentUserId, fromMentorId: target, toMentorId: after.get(e.studentUserId) })
  })
})
