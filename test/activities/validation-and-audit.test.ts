import { apiAs, day, startWorld, TERM, type World } from './support'

let world: World
let api: ReturnType<typeof apiAs>
const id = (key: string) => world.people[key]?.userId as string
const stored = async () => {
  const m = world.app.db.models
  const counts = await Promise.all([m.activities, m.goals, m.contacts, m.reflections, m.fieldTrips].map(async (model) => await (model as typeof m.goals).countDocuments({})))
  return counts.reduce((a, b) => a + b, 0)
}

beforeAll(async () => {
  world = await startWorld()
  api = apiAs(world)
})
afterAll(async () => { await world?.close() })

describe('bad input gets a 4xx naming the field and stores nothing', () => {
  const long = 'x'.repeat(4001)
  it.each([
    ['a date before the term', 's1', '/api/v1/activities', { kind: 'session', date: day(-31), durationMinutes: 30, topics: [] }, 400, 'date'],
    ['a date after the term', 's1', '/api/v1/activities', { kind: 'meeting', date: day(61), organisation: 'X', reflection: 'Y' }, 400, 'date'],
    ['an impossible date', 's1', '/api/v1/activities', { kind: 'session', date: '2027-02-30', durationMinutes: 30, topics: [] }, 400, 'body.date'],
    ['an unknown kind', 's1', '/api/v1/activities', { kind: 'golf', date: day(0) }, 400, 'body.kind'],
    ['an unknown coaching skill', 'm1', '/api/v1/activities', { kind: 'coaching', studentUserId: '', date: day(0), skill: 'juggling', practised: 'x' }, 400, 'body.skill'],
    ['oversized notes', 's1', '/api/v1/activities', { kind: 'session', date: day(0), durationMinutes: 30, topics: [], notes: long }, 400, 'body.notes'],
    ['a duration out of range', 's1', '/api/v1/activities', { kind: 'session', date: day(0), durationMinutes: 0, topics: [] }, 400, 'body.durationMinutes'],
    ['an unknown field', 's1', '/api/v1/activities', { kind: 'session', date: day(0), durationMinutes: 30, topics: [], mood: 'great' }, 400, 'mood'],
    ['a malformed student id', 'm1', '/api/v1/activities', { kind: 'session', studentUserId: 'abc', date: day(0), durationMinutes: 30, topics: [] }, 400, 'body.studentUserId'],
    ['an oversized goal', 's1', '/api/v1/goals', { horizon: 'short', text: 'x'.repeat(1001), targetDate: day(3) }, 400, 'body.text'],
    ['an unknown goal horizon', 's1', '/api/v1/goals', { horizon: 'medium', text: 'x', targetDate: day(3) }, 400, 'body.horizon'],
    ['a contact without a name', 's1', '/api/v1/contacts', { name: '  ' }, 400, 'body.name'],
    ['a reflection outside the term', 's1', '/api/v1/reflections', { date: day(100), text: 'x' }, 400, 'date'],
    ['a malformed activity id on a reflection', 's1', '/api/v1/reflections', { date: day(0), text: 'x', activityId: 'nope' }, 400, 'body.activityId'],
    ['a trip outside the term', 'm1', '/api/v1/field-trips', { title: 'T', startsAt: `${day(-40)}T09:00`, endsAt: `${day(-40)}T11:00`, place: 'P', capacity: 5 }, 400, 'startsAt'],
    ['a trip with a malformed time', 'm1', '/api/v1/field-trips', { title: 'T', startsAt: 'tomorrow', endsAt: `${day(1)}T11:00`, place: 'P', capacity: 5 }, 400, 'body.startsAt'],
    ['a trip ending before it starts', 'm1', '/api/v1/field-trips', { title: 'T', startsAt: `${day(1)}T09:00`, endsAt: `${day(1)}T08:00`, place: 'P', capacity: 5 }, 400, 'endsAt: must be after the start'],
    ['a trip without an end', 'm1', '/api/v1/field-trips', { title: 'T', startsAt: `${day(1)}T09:00`, place: 'P', capacity: 5 }, 400, 'body.endsAt'],
    ['a trip with no capacity', 'm1', '/api/v1/field-trips', { title: 'T', startsAt: `${day(1)}T09:00`, endsAt: `${day(1)}T11:00`, place: 'P', capacity: 0 }, 400, 'body.capacity']
  ])('%s', async (_what, who, path, body, status, field) => {
    const fixed = JSON.parse(JSON.stringify(body).replace('"studentUserId":""', `"studentUserId":"${id('s1')}"`))
    const before = await stored()
    const res = await api(who, 'POST', path, fixed)
    expect(res.status).toBe(status)
    expect(res.body.message).toContain(field)
    expect(await stored()).toBe(before)
  })

  it.each([
    ['GET', '/api/v1/activities/not-an-id'],
    ['PATCH', '/api/v1/goals/123'],
    ['DELETE', '/api/v1/goals/zzzzzzzzzzzzzzzzzzzzzzzz'],
    ['POST', '/api/v1/verifications/12345678901234567890123g'],
    ['GET', '/api/v1/field-trips/x']
  ])('refuses the malformed id of %s %s, naming params.id', async (method, path) => {
    const res = await api('m1', method, path, method === 'GET' || method === 'DELETE' ? undefined : { decision: 'approve', kind: 'session' })
    expect(res.status).toBe(400)
    expect(res.body.message).toContain('params.id')
  })

  it('refuses a malformed check-in code and an empty attendance sheet', async () => {
    expect((await api('s1', 'POST', '/api/v1/check-ins', { code: 'AB' })).body.message).toContain('body.code')
    const t = (await api('m1', 'POST', '/api/v1/field-trips', { title: 'T', startsAt: `${day(1)}T09:00`, endsAt: `${day(1)}T11:00`, place: 'P', capacity: 5 })).body
    const res = await api('m1', 'PUT', `/api/v1/field-trips/${t.id as string}/attendance`, { entries: [] })
    expect(res.status).toBe(400)
    expect(res.body.message).toContain('body.entries')
    const bad = await api('m1', 'PUT', `/api/v1/field-trips/${t.id as string}/attendance`, { entries: [{ studentUserId: id('s1'), status: 'asleep' }] })
    expect(bad.body.message).toContain('body.entries.0.status')
  })
})

describe('the term', () => {
  it('comes from the LMS where it sends one, and cannot be overridden there', async () => {
    expect((await api('s1', 'GET', '/api/v1/term')).body).toMatchObject({ start: TERM.start, end: TERM.end, startFrom: 'lms', endFrom: 'lms' })
    const res = await api('instructor', 'PUT', '/api/v1/term', { start: '2020-01-01', end: TERM.end })
    expect(res.status).toBe(400)
    expect(res.body.message).toMatch(/start: is set by your LMS/)
    const milestones = await api('instructor', 'PUT', '/api/v1/term', { milestones: [{ title: 'Mid-term review', date: day(10) }] })
    expect(milestones.body.milestones).toEqual([{ title: 'Mid-term review', date: day(10) }])
    const outside = await api('instructor', 'PUT', '/api/v1/term', { milestones: [{ title: 'Late', date: day(200) }] })
    expect(outside.body.message).toMatch(/milestones\.0\.date/)
    expect((await api('m1', 'PUT', '/api/v1/term', { milestones: [] })).status).toBe(403)
  })

  it('is set by the instructor where the LMS sends none; until then nothing can be dated', async () => {
    expect((await api('bStudent', 'GET', '/api/v1/term')).body).toBeNull()
    const early = await api('bStudent', 'POST', '/api/v1/activities', { kind: 'session', date: day(0), durationMinutes: 30, topics: [] })
    expect(early.status).toBe(409)
    expect(early.body.message).toMatch(/date: cannot be accepted before the instructor sets the term/)
    const missing = await api('bInstructor', 'PUT', '/api/v1/term', { start: day(-1) })
    expect(missing.body.message).toMatch(/end: is required/)
    const backwards = await api('bInstructor', 'PUT', '/api/v1/term', { start: day(1), end: day(-1) })
    expect(backwards.body.message).toMatch(/end/)
    const set = await api('bInstructor', 'PUT', '/api/v1/term', { start: day(-7), end: day(7) })
    expect(set.body).toMatchObject({ start: day(-7), end: day(7), startFrom: 'instructor' })
    expect((await api('bStudent', 'POST', '/api/v1/activities', { kind: 'session', date: day(0), durationMinutes: 30, topics: [] })).status).toBe(201)
    expect((await api('bStudent', 'POST', '/api/v1/activities', { kind: 'session', date: day(8), durationMinutes: 30, topics: [] })).status).toBe(400)
  })
})

describe('the audit trail', () => {
  it('records who changed what, when, before and after, through creation, edits, verification and deletion', async () => {
    const created = (await api('s1', 'POST', '/api/v1/activities', { kind: 'session', date: day(-1), durationMinutes: 30, topics: ['pricing'], notes: 'v1' })).body
    await api('s1', 'PATCH', `/api/v1/activities/${created.id as string}`, { kind: 'session', notes: 'v2' })
    await api('m1', 'POST', `/api/v1/verifications/${created.id as string}`, { decision: 'reject', comment: 'Too short' })
    await api('s1', 'PATCH', `/api/v1/activities/${created.id as string}`, { kind: 'session', durationMinutes: 60 })
    await api('m1', 'POST', `/api/v1/verifications/${created.id as string}`, { decision: 'approve' })
    await api('m1', 'DELETE', `/api/v1/activities/${created.id as string}`)

    const trail = (await api('instructor', 'GET', `/api/v1/audit?entity=activity&entityId=${created.id as string}`)).body.reverse()
    expect(trail.map((e: { action: string, actorRole: string }) => `${e.action}:${e.actorRole}`))
      .toEqual(['create:student', 'update:student', 'reject:mentor', 'update:student', 'verify:mentor', 'delete:mentor'])
    expect(trail[0]).toMatchObject({ actorUserId: id('s1'), before: null, after: { notes: 'v1', status: 'pending' } })
    expect(trail[1]).toMatchObject({ before: { notes: 'v1' }, after: { notes: 'v2' } })
    expect(trail[2]).toMatchObject({ actorUserId: id('m1'), before: { status: 'pending' }, after: { status: 'rejected', review: { comment: 'Too short' } } })
    expect(trail[3]).toMatchObject({ before: { status: 'rejected', durationMinutes: 30 }, after: { status: 'pending', durationMinutes: 60 } })
    expect(trail[4]).toMatchObject({ after: { status: 'verified' } })
    expect(trail[5].after.deletedAt).toEqual(expect.any(String))
    for (const e of trail) expect(Date.parse(e.at)).toBeGreaterThan(Date.now() - 60_000)

    expect((await api('s1', 'GET', `/api/v1/activities/${created.id as string}`)).status).toBe(404)
    expect(await world.app.db.models.activities.countDocuments({ _id: created.id })).toBe(1)
    expect((await api('m1', 'GET', '/api/v1/audit')).status).toBe(403)
  })

  it('records goal progress, term changes and attendance', async () => {
    const goal = (await api('s2', 'POST', '/api/v1/goals', { horizon: 'long', text: 'Found a company', targetDate: day(700) })).body
    await api('s2', 'POST', `/api/v1/goals/${goal.id as string}/progress`, { date: day(0), note: 'Wrote a plan', status: 'in-progress' })
    const goalTrail = (await api('instructor', 'GET', `/api/v1/audit?entity=goal&entityId=${goal.id as string}`)).body
    expect(goalTrail[0]).toMatchObject({ action: 'progress', before: { status: 'not-started' }, after: { status: 'in-progress' } })
    const terms = (await api('instructor', 'GET', '/api/v1/audit?entity=term')).body
    expect(terms.length).toBeGreaterThan(0)
    const t = (await api('m1', 'POST', '/api/v1/field-trips', { title: 'Audit trip', startsAt: `${day(-2)}T09:00`, endsAt: `${day(-2)}T11:00`, place: 'P', capacity: 5 })).body
    await api('m1', 'PUT', `/api/v1/field-trips/${t.id as string}/attendance`, { entries: [{ studentUserId: id('s1'), status: 'present' }] })
    const tripTrail = (await api('instructor', 'GET', `/api/v1/audit?entity=field-trip&entityId=${t.id as string}`)).body
    expect(tripTrail[0]).toMatchObject({ action: 'attendance', before: { attendance: [] }, after: { attendance: [{ status: 'present', studentUserId: id('s1') }] } })
  })
})
