import fc from 'fast-check'
import type { ReportInput } from '../../src/domain/activities/course-report'
import { sumTotals, totalsOf } from '../../src/domain/progress/course-table'
import { createProgressRepository } from '../../src/persistence/repositories/progress.repository'
import { apiAs, day, startWorld, type World } from '../activities/support'

/**
 * The progress read model, changed by events only, must always equal what a full rebuild from the source records
 * gives: after any sequence of changes made through the API, some of them at the same time.
 */
let world: World
let api: ReturnType<typeof apiAs>
const id = (key: string): string => world.people[key]?.userId as string
const course = (): string => world.people.s1?.courseId as string
const MENTOR_OF: Record<string, string> = { s1: 'm1', s2: 'm1', s3: 'm2' }
const STUDENTS = ['s1', 's2', 's3'] as const

beforeAll(async () => {
  world = await startWorld()
  api = apiAs(world)
})
afterAll(async () => { await world?.close() })

/** Order-free form of a report input, to compare two of them. */
const canonical = (input: ReportInput) =>
  Object.fromEntries(Object.entries(input).map(([key, rows]) => [key, (rows as unknown[]).map((r) => JSON.stringify(r)).sort()]))

/** Everything the pages read from the model: the course's input and summary, each mentor's list, each student's document. */
async function snapshot () {
  const model = world.app.progressReadModel
  const mentors = ['m1', 'm2'].map((m) => world.mentorIds[m] as string)
  const [input, table, totals, mentees, students] = await Promise.all([
    model.input(course(), 'all'),
    model.table(course()),
    model.totals(course()),
    Promise.all(mentors.map(async (m) => Object.fromEntries(await model.mentees(course(), [m])))),
    Promise.all(STUDENTS.map(async (s) => { const own = await model.student(course(), id(s)); return { input: canonical(own.input), mentorId: own.mentorId } }))
  ])
  return { input: canonical(input), totals, table: Object.fromEntries([...table].sort(([a], [b]) => a.localeCompare(b))), mentees, students }
}

async function expectEqualToRebuild (): Promise<void> {
  const incremental = await snapshot()
  await world.app.progressReadModel.rebuild(course())
  expect(incremental).toEqual(await snapshot())
}

/** What exists so far, for later changes to pick from. */
interface Made { activities: Array<{ id: string, student: string }>, goals: Array<{ id: string, student: string }>, notes: Array<{ id: string, student: string, path: string }>, trips: string[] }

type Op =
  | { op: 'activity', student: number, kind: number, byMentor: boolean, offset: number }
  | { op: 'verify', pick: number, approve: boolean }
  | { op: 'removeActivity', pick: number }
  | { op: 'goal', student: number, long: boolean }
  | { op: 'goalProgress', pick: number, achieved: boolean }
  | { op: 'note', student: number, reflection: boolean }
  | { op: 'removeNote', pick: number }
  | { op: 'trip', offset: number }
  | { op: 'attendance', pick: number, student: number, status: number }
  | { op: 'moveTrip', pick: number, offset: number }
  | { op: 'cancelTrip', pick: number }

const ops: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('activity' as const), student: fc.nat(2), kind: fc.nat(2), byMentor: fc.boolean(), offset: fc.integer({ min: -20, max: -1 }) }),
  fc.record({ op: fc.constant('verify' as const), pick: fc.nat(), approve: fc.boolean() }),
  fc.record({ op: fc.constant('removeActivity' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('goal' as const), student: fc.nat(2), long: fc.boolean() }),
  fc.record({ op: fc.constant('goalProgress' as const), pick: fc.nat(), achieved: fc.boolean() }),
  fc.record({ op: fc.constant('note' as const), student: fc.nat(2), reflection: fc.boolean() }),
  fc.record({ op: fc.constant('removeNote' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('trip' as const), offset: fc.integer({ min: -10, max: 10 }) }),
  fc.record({ op: fc.constant('attendance' as const), pick: fc.nat(), student: fc.nat(1), status: fc.nat(2) }),
  fc.record({ op: fc.constant('moveTrip' as const), pick: fc.nat(), offset: fc.integer({ min: -10, max: 10 }) }),
  fc.record({ op: fc.constant('cancelTrip' as const), pick: fc.nat() })
)

const KINDS = [
  { kind: 'session', durationMinutes: 45, topics: ['Pricing'] },
  { kind: 'coaching', skill: 'negotiation', practised: 'Opening offers' },
  { kind: 'meeting', organisation: 'Acme', reflection: 'Sharp chairing' }
]
const ATTENDANCE = ['present', 'absent', 'excused']

/** Applies one change through the API; changes that no longer apply (a removed entry, a cancelled trip) are refused and change nothing. */
async function apply (op: Op, made: Made): Promise<void> {
  const pick = <T>(list: T[], n: number): T | undefined => list.length === 0 ? undefined : list[n % list.length]
  const student = (n: number): string => STUDENTS[n] as string
  switch (op.op) {
    case 'activity': {
      const who = student(op.student)
      const body = { ...KINDS[op.kind], date: day(op.offset), ...(op.byMentor ? { studentUserId: id(who) } : {}) }
      const res = await api(op.byMentor ? MENTOR_OF[who] as string : who, 'POST', '/api/v1/activities', body)
      if (res.status === 201) made.activities.push({ id: res.body.id, student: who })
      return
    }
    case 'verify': {
      const a = pick(made.activities, op.pick)
      if (a) await api(MENTOR_OF[a.student] as string, 'POST', `/api/v1/verifications/${a.id}`, op.approve ? { decision: 'approve' } : { decision: 'reject', comment: 'Say more' })
      return
    }
    case 'removeActivity': {
      const a = pick(made.activities, op.pick)
      if (a) await api(a.student, 'DELETE', `/api/v1/activities/${a.id}`)
      return
    }
    case 'goal': {
      const who = student(op.student)
      const res = await api(who, 'POST', '/api/v1/goals', { horizon: op.long ? 'long' : 'short', text: 'Chair a meeting', targetDate: day(30) })
      if (res.status === 201) made.goals.push({ id: res.body.id, student: who })
      return
    }
    case 'goalProgress': {
      const g = pick(made.goals, op.pick)
      if (g) await api(g.student, 'POST', `/api/v1/goals/${g.id}/progress`, { date: day(0), note: 'Moving', status: op.achieved ? 'achieved' : 'in-progress' })
      return
    }
    case 'note': {
      const who = student(op.student)
      const path = op.reflection ? '/api/v1/reflections' : '/api/v1/contacts'
      const res = await api(who, 'POST', path, op.reflection ? { date: day(-1), text: 'Learnt' } : { name: 'Ada Board' })
      if (res.status === 201) made.notes.push({ id: res.body.id, student: who, path })
      return
    }
    case 'removeNote': {
      const n = pick(made.notes, op.pick)
      if (n) await api(n.student, 'DELETE', `${n.path}/${n.id}`)
      return
    }
    case 'trip': {
      const res = await api('m1', 'POST', '/api/v1/field-trips', { title: 'Harbour', startsAt: `${day(op.offset)}T10:00`, endsAt: `${day(op.offset)}T12:00`, place: 'Port', capacity: 10 })
      if (res.status === 201) made.trips.push(res.body.id)
      return
    }
    case 'attendance': {
      const t = pick(made.trips, op.pick)
      if (t) await api('m1', 'PUT', `/api/v1/field-trips/${t}/attendance`, { entries: [{ studentUserId: id(student(op.student)), status: ATTENDANCE[op.status] }] })
      return
    }
    case 'moveTrip': {
      const t = pick(made.trips, op.pick)
      if (t) await api('m1', 'PATCH', `/api/v1/field-trips/${t}`, { startsAt: `${day(op.offset)}T09:00`, endsAt: `${day(op.offset)}T11:00` })
      return
    }
    case 'cancelTrip': {
      const t = pick(made.trips, op.pick)
      if (t) await api('m1', 'DELETE', `/api/v1/field-trips/${t}`)
    }
  }
}

it('is repaired by a rebuild from the source records when its documents are lost', async () => {
  expect((await api('s1', 'POST', '/api/v1/activities', { ...KINDS[0], date: day(-3) })).status).toBe(201)
  const before = canonical(await world.app.progressReadModel.input(course(), 'all'))
  await world.app.db.models.studentProgress.deleteMany({ courseId: course() })
  expect((await world.app.progressReadModel.input(course(), [id('s1')])).activities).toEqual([])

  await world.app.progressReadModel.rebuild(course())
  expect(canonical(await world.app.progressReadModel.input(course(), 'all'))).toEqual(before)
  expect(before.activities).toContainEqual(expect.stringContaining('"status":"pending"'))
})

it('is rebuilt on its next read after an update failed, instead of showing what the failure left behind', async () => {
  const logged = await api('s2', 'POST', '/api/v1/activities', { ...KINDS[0], date: day(-2) })
  expect(logged.status).toBe(201)
  // An event naming an entry that cannot be read: the update fails (the bus logs it) and the course is forgotten.
  await world.app.events.publish({ type: 'RecordChanged', courseId: course(), studentUserId: id('s2'), kind: 'activity', recordId: 'not-an-id', byUserId: id('s2') })
  expect(await world.app.db.models.courseProgress.countDocuments({ _id: course() })).toBe(0)
  await world.app.db.models.studentProgress.deleteMany({ courseId: course() })

  expect((await world.app.progressReadModel.input(course(), [id('s2')])).activities).toContainEqual(expect.objectContaining({ studentUserId: id('s2'), kind: 'session' }))
  expect(await world.app.db.models.courseProgress.countDocuments({ _id: course() })).toBe(1)
  await expectEqualToRebuild()
})

it('counts a course built under an earlier layout of its documents as unbuilt, so that it is built again', async () => {
  const store = createProgressRepository(world.app.db.models, { totalsOf, sumTotals })
  await world.app.progressReadModel.rebuild(course())
  expect(await store.isBuilt(course())).toBe(true)
  await world.app.db.models.courseProgress.collection.replaceOne({ _id: course() as never }, { builtAt: new Date(), students: {} })
  expect(await store.isBuilt(course())).toBe(false)
  await world.app.progressReadModel.rebuild(course())
})

it("keeps each mentor's list of mentees as the pairing changes, with their progress", async () => {
  const lists = async () => await snapshot().then((s) => s.mentees.map((list) => Object.keys(list).sort()))
  expect(await lists()).toEqual([[id('s1'), id('s2')].sort(), [id('s3')]])
  expect((await snapshot()).students.map((s) => s.mentorId)).toEqual([world.mentorIds.m1, world.mentorIds.m1, world.mentorIds.m2])
  expect((await api('s3', 'POST', '/api/v1/activities', { ...KINDS[0], date: day(-4) })).status).toBe(201)
  const s3 = (await snapshot()).mentees[1]?.[id('s3')]
  expect(s3).toEqual(expect.objectContaining({ name: expect.any(String), pending: 1, returned: 0 }))

  // Once published, the instructor deactivates m2: the pairing code moves or releases s3, and both lists follow.
  await world.app.db.models.pairingPlans.updateOne({ courseId: course() }, { $set: { publishedAt: new Date() } }, { upsert: true })
  expect((await api('instructor', 'PATCH', `/api/v1/pool/mentors/${world.mentorIds.m2}`, { active: false })).status).toBe(200)
  await world.app.settled()
  const after = await lists()
  expect(after[1]).toEqual([])
  expect(after[0]).toEqual((await world.app.db.models.pairings.find({ courseId: course(), status: 'active' }).lean()).map((p) => String(p.studentUserId)).sort())
  await expectEqualToRebuild()
})

it('follows a publication that names the pairs it wrote, without reading the pairings, as a full rebuild would', async () => {
  const { pairings } = world.app.db.models
  const mentors = [world.mentorIds.m1 ?? '', world.mentorIds.m2 ?? '']
  const pair = (s: string, mentorId: string) => ({ studentUserId: id(s), mentorId })
  const insert = async (pairs: Array<{ studentUserId: string, mentorId: string }>) =>
    await pairings.insertMany(pairs.map((p) => ({ courseId: course(), ...p, status: 'active', source: 'run', publishedAt: new Date() })))
  await pairings.deleteMany({ courseId: course() })
  await world.app.events.publish({ type: 'PairReleased', courseId: course(), studentUserId: id('s1'), reason: 'cleared for this test' })
  // s2 was placed before the publication (late placement), which therefore leaves them be and does not name them.
  await insert([pair('s2', mentors[0] ?? '')])
  await world.app.events.publish({ type: 'StudentPlaced', courseId: course(), studentUserId: id('s2'), mentorId: mentors[0] ?? '' })
  const placed = [pair('s1', mentors[1] ?? ''), pair('s3', mentors[1] ?? '')]
  await insert(placed)

  let pairingReads = 0
  const client = world.app.db.connection.getClient()
  const count = (e: { commandName: string, command: Record<string, unknown> }) => { if (e.command[e.commandName] === 'pairings') pairingReads++ }
  client.on('commandStarted', count)
  await world.app.events.publish({ type: 'PairingPublished', courseId: course(), runId: 'again', studentUserIds: [id('s1'), id('s2'), id('s3')], placed })
  client.off('commandStarted', count)
  expect(pairingReads).toBe(0)
  expect((await snapshot()).mentees.map((list) => Object.keys(list).sort())).toEqual([[id('s2')], [id('s1'), id('s3')].sort()])
  await expectEqualToRebuild()
})

it('equals a full rebuild after any sequence of changes, some made at the same time', async () => {
  await fc.assert(fc.asyncProperty(fc.array(fc.array(ops, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 10 }), async (batches) => {
    const made: Made = { activities: [], goals: [], notes: [], trips: [] }
    // Each batch's changes are sent at once; batches follow each other.
    for (const batch of batches) await Promise.all(batch.map(async (op) => { await apply(op, made) }))
    await expectEqualToRebuild()
  }), { numRuns: 10, endOnFailure: true })
}, 120_000)
