import type { FastifyInstance } from 'fastify'
import { Types } from 'mongoose'
import type { Simulator } from '@mentorlink/simulator'
import type { DomainEvent } from '../../src/domain/events/domain-events'
import { createPairingWorkflowRepository } from '../../src/persistence/repositories/pairing-workflow.repository'
import { launchAs, seedCourse, startLmsFor } from '../helpers/lms'
import { startTestApp } from '../helpers/test-app'

/**
 * "Pair the unpaired now" places a course's unpaired students in one pass and writes them in a few round trips
 * (issue 15, speed): `placeMany` inserts in chunks, keeps a student paired meanwhile as they are and takes up the
 * released pairing of a student who came back; the maintenance announces every student it paired.
 */
let app: FastifyInstance
let sim: Simulator
const tool = { clientId: 'client-1', deploymentId: 'deploy-1' }
const STUDENTS = Array.from({ length: 40 }, (_, i) => `s${i}`)
let token = ''
let courseId = ''

const api = async (path: string, body?: unknown): Promise<Response> =>
  await fetch(`${app.config.publicUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
/** A roster sync once the one an instructor's launch may have started is over, and what it set off. */
const sync = async (): Promise<void> => {
  await app.settled()
  expect(await app.rosterSync.sync(courseId, 'manual')).toMatchObject({ status: 'succeeded' })
  await app.settled()
}
const active = async (course: string) => await app.db.models.pairings.find({ courseId: new Types.ObjectId(course), status: 'active' }).lean()

beforeAll(async () => {
  app = await startTestApp({ LOG_LEVEL: 'error' })
  sim = await startLmsFor(app, tool)
  seedCourse(sim, 'batch101', [
    { id: 'prof', name: 'Amara Okafor', roles: ['Instructor'] },
    ...STUDENTS.map((id, i) => ({ id, name: `Student ${i}`, roles: ['Learner' as const] }))
  ])
  token = (await launchAs(sim, { ...tool, courseId: 'batch101', userId: 'prof' })).sessionToken ?? ''
  const course = await app.db.models.courses.findOne({ contextId: 'batch101' }).lean()
  courseId = String(course?._id)
  await sync()
  const pool = await app.db.models.pools.create({ ...tool, issuer: course?.issuer, ownerCourseId: course?._id })
  await app.db.models.courses.updateOne({ _id: course?._id }, { $set: { poolId: pool._id } })
  await app.db.models.mentors.insertMany(['Daniel Reyes', 'Helena Berg'].map((name, i) => ({
    poolId: pool._id, name, email: `m${i}@example.com`, expertise: [['finance'], ['rhetoric']][i], capacity: 10, source: 'external'
  })))
})

afterAll(async () => {
  await sim?.close()
  await app?.close()
})

describe('placeMany', () => {
  const repo = () => createPairingWorkflowRepository(app.db.models)
  const ids = (n: number): string[] => Array.from({ length: n }, () => new Types.ObjectId().toHexString())

  it('writes many pairings in chunks, answers them in order and notes the change once', async () => {
    const course = new Types.ObjectId().toHexString()
    await repo().planOf(course)
    const mentors = ids(3)
    const placements = ids(2300).map((studentId, i) => ({ studentId, mentorId: mentors[i % 3]!, explanation: `why ${i}` }))
    const at = new Date()
    const written = await repo().placeMany(course, placements, 'late-enrolment', at)
    expect(written).toEqual(placements.map(({ studentId, mentorId }) => ({ studentId, mentorId })))
    const stored = await active(course)
    expect(stored).toHaveLength(2300)
    expect(stored.find((p) => String(p.studentUserId) === placements[1234]!.studentId)).toMatchObject({
      mentorId: new Types.ObjectId(placements[1234]!.mentorId), source: 'late-enrolment', explanation: 'why 1234', publishedAt: at, history: []
    })
    expect((await app.db.models.pairingPlans.findOne({ courseId: new Types.ObjectId(course) }).lean())?.changedSincePublication).toBe(true)
  })

  it('keeps a student paired meanwhile, takes up a released pairing again, and writes nothing for nobody', async () => {
    const course = new Types.ObjectId().toHexString()
    await repo().planOf(course)
    const [a, b] = ids(2)
    const [paired, back, fresh] = ids(3)
    await repo().placeMany(course, [{ studentId: paired!, mentorId: a!, explanation: 'first' }, { studentId: back!, mentorId: a!, explanation: 'first' }], 'late-enrolment', new Date())
    expect(await repo().release(course, back!, 'dropped from the course', new Date())).toBe(true)
    const released = await app.db.models.pairings.findOne({ courseId: new Types.ObjectId(course), studentUserId: new Types.ObjectId(back) }).lean()

    const written = await repo().placeMany(course, [
      { studentId: paired!, mentorId: b!, explanation: 'second' },
      { studentId: back!, mentorId: b!, explanation: 'back' },
      { studentId: fresh!, mentorId: b!, explanation: 'new' }
    ], 'late-enrolment', new Date())
    expect(written).toEqual([{ studentId: back, mentorId: b }, { studentId: fresh, mentorId: b }])
    const now = new Map((await active(course)).map((p) => [String(p.studentUserId), p]))
    expect(now.size).toBe(3)
    expect(now.get(paired!)).toMatchObject({ mentorId: new Types.ObjectId(a), explanation: 'first' })
    const again = now.get(back!)
    expect(again?._id).toEqual(released?._id)
    expect(again).toMatchObject({ mentorId: new Types.ObjectId(b), explanation: 'back', source: 'late-enrolment', history: released?.history })
    expect(again?.releasedAt).toBeUndefined()
    expect(again?.releaseReason).toBeUndefined()

    const untouched = new Types.ObjectId().toHexString()
    await repo().planOf(untouched)
    expect(await repo().placeMany(untouched, [], 'late-enrolment', new Date())).toEqual([])
    expect((await app.db.models.pairingPlans.findOne({ courseId: new Types.ObjectId(untouched) }).lean())?.changedSincePublication).not.toBe(true)
  })
})

it('pairs every unpaired student once seats are added, a returning student among them, and announces each', async () => {
  // No seats kept in reserve: the 20 seats pair 20 students, and a student coming back finds none.
  await app.db.models.pairingPlans.updateOne({ courseId: new Types.ObjectId(courseId) }, { $set: { reserveFraction: 0 } }, { upsert: true })
  const run = await (await api('/api/v1/pairing/runs')).json() as { runId: string }
  expect((await api('/api/v1/pairing/publish', { runId: run.runId })).status).toBe(200)
  const published = new Map((await active(courseId)).map((p) => [String(p.studentUserId), String(p.mentorId)]))
  expect(published.size).toBe(20)

  // A paired student leaves and comes back while the mentors are full: their pairing is released and stays so.
  const subOf = new Map((await app.db.models.users.find().lean()).map((u) => [String(u._id), u.sub]))
  const leaver = [...published.keys()][0]!
  sim.setMemberStatus('batch101', subOf.get(leaver) ?? '', 'Removed')
  await sync()
  const afterDrop = await active(courseId)
  expect(afterDrop.some((p) => String(p.studentUserId) === leaver)).toBe(false)
  sim.state.courses.get('batch101')?.members.push({ userId: subOf.get(leaver) ?? '', roles: ['Learner'], status: 'Active' })
  await sync()
  const before = new Map((await active(courseId)).map((p) => [String(p.studentUserId), String(p.mentorId)]))
  expect(before.has(leaver)).toBe(false)
  expect(before.size).toBe(20)

  await app.db.models.mentors.updateMany({}, { $set: { capacity: 25 } })
  const seen: DomainEvent[] = []
  const stop = app.events.subscribe('StudentsPlaced', (event) => { seen.push(event) })
  const res = await api('/api/v1/pairing/place-unpaired')
  stop()
  expect(res.status).toBe(200)
  const report = await res.json() as { placed: Array<{ studentId: string, mentorId: string }>, unplaced: unknown[] }
  expect(report.unplaced).toEqual([])
  expect(report.placed).toHaveLength(20)

  const after = await active(courseId)
  expect(after).toHaveLength(40)
  expect(new Set(after.map((p) => String(p.studentUserId))).size).toBe(40)
  const mentorOf = new Map(after.map((p) => [String(p.studentUserId), String(p.mentorId)]))
  for (const [student, mentor] of before) expect(mentorOf.get(student)).toBe(mentor)
  for (const { studentId, mentorId } of report.placed) expect(mentorOf.get(studentId)).toBe(mentorId)
  expect(report.placed.map((p) => p.studentId)).toContain(leaver)
  expect(await app.db.models.pairings.countDocuments({ courseId: new Types.ObjectId(courseId), studentUserId: new Types.ObjectId(leaver) })).toBe(1)
  // One event for the lot, naming every student placed.
  expect(seen).toHaveLength(1)
  expect(seen.flatMap((e) => e.type === 'StudentsPlaced' ? e.placed.map((p) => [p.studentUserId, p.mentorId]) : []).sort())
    .toEqual(report.placed.map((p) => [p.studentId, p.mentorId]).sort())
})
