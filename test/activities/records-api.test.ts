import { randomBytes } from 'node:crypto'
import { getMessage, waitForMessages } from '../helpers/mailpit'
import { apiAs, day, startWorld, type World } from './support'

let world: World
let api: ReturnType<typeof apiAs>
const id = (key: string) => world.people[key]?.userId as string

beforeAll(async () => {
  world = await startWorld()
  api = apiAs(world)
})
afterAll(async () => { await world?.close() })

const session = (extra: Record<string, unknown> = {}) => ({ kind: 'session', date: day(-3), durationMinutes: 45, topics: ['career'], notes: 'Talked careers', ...extra })

describe('activities', () => {
  it('a student logs a session and an observed meeting; both wait for their mentor', async () => {
    const a = await api('s1', 'POST', '/api/v1/activities', session())
    expect(a.status).toBe(201)
    expect(a.body).toMatchObject({ kind: 'session', status: 'pending', studentUserId: id('s1'), createdByRole: 'student', topics: ['career'] })
    const m = await api('s1', 'POST', '/api/v1/activities', { kind: 'meeting', date: day(-2), organisation: 'Acme Board', reflection: 'Sharp chair' })
    expect(m.status).toBe(201)
    expect(m.body.status).toBe('pending')
  })

  it('refuses a student logging coaching: their mentor records it', async () => {
    const res = await api('s1', 'POST', '/api/v1/activities', { kind: 'coaching', date: day(-1), skill: 'negotiation', practised: 'Anchoring' })
    expect(res.status).toBe(403)
    expect(res.body.message).toMatch(/kind/)
  })

  it('a mentor records coaching for a mentee, verified at once, and not for someone else\'s mentee', async () => {
    const ok = await api('m1', 'POST', '/api/v1/activities', { kind: 'coaching', studentUserId: id('s2'), date: day(-1), skill: 'persuasion', practised: 'Pitch' })
    expect(ok.status).toBe(201)
    expect(ok.body).toMatchObject({ status: 'verified', studentUserId: id('s2'), skill: 'persuasion' })
    expect(ok.body.review).toMatchObject({ by: id('m1') })
    const other = await api('m1', 'POST', '/api/v1/activities', { kind: 'coaching', studentUserId: id('s3'), date: day(-1), skill: 'persuasion', practised: 'Pitch' })
    expect(other.status).toBe(403)
    expect(other.body.message).toMatch(/studentUserId/)
    const missing = await api('m1', 'POST', '/api/v1/activities', { kind: 'coaching', date: day(-1), skill: 'persuasion', practised: 'Pitch' })
    expect(missing.status).toBe(400)
    expect(missing.body.message).toMatch(/studentUserId/)
  })

  it('refuses instructors recording, while letting them read the whole course', async () => {
    expect((await api('instructor', 'POST', '/api/v1/activities', session({ studentUserId: id('s1') }))).status).toBe(403)
    const all = await api('instructor', 'GET', '/api/v1/activities')
    expect(all.status).toBe(200)
    expect(new Set(all.body.map((a: { studentUserId: string }) => a.studentUserId))).toEqual(new Set([id('s1'), id('s2')]))
  })

  it('shows students only their own entries and mentors only their mentees\'', async () => {
    const s2 = await api('s2', 'GET', '/api/v1/activities')
    expect(s2.body.every((a: { studentUserId: string }) => a.studentUserId === id('s2'))).toBe(true)
    const m2 = await api('m2', 'GET', '/api/v1/activities')
    expect(m2.body).toEqual([])
    const mine = (await api('s1', 'GET', '/api/v1/activities')).body[0]
    expect((await api('s2', 'GET', `/api/v1/activities/${mine.id as string}`)).status).toBe(404)
    expect((await api('m2', 'GET', `/api/v1/activities/${mine.id as string}`)).status).toBe(404)
    expect((await api('m2', 'GET', `/api/v1/activities?studentUserId=${id('s1')}`)).status).toBe(404)
    expect((await api('m1', 'GET', `/api/v1/activities/${mine.id as string}`)).status).toBe(200)
  })

  it('keeps other courses out: their ids are not found', async () => {
    const mine = (await api('s1', 'GET', '/api/v1/activities')).body[0]
    expect((await api('bInstructor', 'GET', `/api/v1/activities/${mine.id as string}`)).status).toBe(404)
    expect((await api('bMentor', 'PATCH', `/api/v1/activities/${mine.id as string}`, { kind: 'session', notes: 'x' })).status).toBe(404)
    expect((await api('bInstructor', 'GET', '/api/v1/activities')).body).toEqual([])
    expect((await api('bMentor', 'POST', '/api/v1/activities', session({ studentUserId: id('s1') }))).status).toBe(403)
  })

  it('lets a student edit their pending entry but not a verified one, nor change its kind', async () => {
    const created = (await api('s1', 'POST', '/api/v1/activities', session({ notes: 'first' }))).body
    const edited = await api('s1', 'PATCH', `/api/v1/activities/${created.id as string}`, { kind: 'session', notes: 'second', durationMinutes: 60 })
    expect(edited.status).toBe(200)
    expect(edited.body).toMatchObject({ notes: 'second', durationMinutes: 60, status: 'pending' })
    const kind = await api('s1', 'PATCH', `/api/v1/activities/${created.id as string}`, { kind: 'meeting', organisation: 'X' })
    expect(kind.status).toBe(400)
    expect(kind.body.message).toMatch(/kind/)
    expect((await api('m1', 'POST', `/api/v1/verifications/${created.id as string}`, { decision: 'approve' })).status).toBe(200)
    const late = await api('s1', 'PATCH', `/api/v1/activities/${created.id as string}`, { kind: 'session', notes: 'third' })
    expect(late.status).toBe(409)
    expect((await api('s1', 'DELETE', `/api/v1/activities/${created.id as string}`)).status).toBe(409)
  })
})

describe('verification', () => {
  it('lists pending entries to the mentor and lets them approve or return with a comment', async () => {
    const a = (await api('s2', 'POST', '/api/v1/activities', session())).body
    const b = (await api('s2', 'POST', '/api/v1/activities', { kind: 'meeting', date: day(-5), organisation: 'City Council', reflection: 'Budget' })).body
    const pending = await api('m1', 'GET', '/api/v1/verifications')
    expect(pending.body.map((x: { id: string }) => x.id)).toEqual(expect.arrayContaining([a.id, b.id]))
    expect((await api('m2', 'GET', '/api/v1/verifications')).body).toEqual([])

    const approved = await api('m1', 'POST', `/api/v1/verifications/${a.id as string}`, { decision: 'approve' })
    expect(approved.body).toMatchObject({ status: 'verified', review: { by: id('m1'), comment: '' } })
    const noComment = await api('m1', 'POST', `/api/v1/verifications/${b.id as string}`, { decision: 'reject' })
    expect(noComment.status).toBe(400)
    expect(noComment.body.message).toMatch(/comment/)
    const comment = `Which meeting exactly? (${randomBytes(4).toString('hex')})`
    const rejected = await api('m1', 'POST', `/api/v1/verifications/${b.id as string}`, { decision: 'reject', comment })
    expect(rejected.body).toMatchObject({ status: 'rejected', review: { comment } })
    // The student is told by email, with the comment and what to do.
    await world.app.settled()
    const [told] = await waitForMessages(`"${comment}"`)
    const letter = await getMessage(told?.ID ?? '')
    expect(letter.To[0]?.Address).toBe('s2@example.edu')
    expect(letter.Subject).toMatch(/returned your observed high-level meeting of .* — /)
    expect(letter.Text).toContain(comment)
    expect(letter.Text).toContain('it goes back to your mentor to confirm')
    expect((await api('m1', 'POST', `/api/v1/verifications/${a.id as string}`, { decision: 'approve' })).status).toBe(409)

    const resubmitted = await api('s2', 'PATCH', `/api/v1/activities/${b.id as string}`, { kind: 'meeting', organisation: 'City Council finance committee' })
    expect(resubmitted.body).toMatchObject({ status: 'pending', review: null })
  })

  it('refuses verification by the student, another mentor, an instructor or another course', async () => {
    const a = (await api('s1', 'POST', '/api/v1/activities', session())).body
    for (const who of ['s1', 'instructor']) expect((await api(who, 'POST', `/api/v1/verifications/${a.id as string}`, { decision: 'approve' })).status).toBe(403)
    expect((await api('m2', 'POST', `/api/v1/verifications/${a.id as string}`, { decision: 'approve' })).status).toBe(404)
    expect((await api('bMentor', 'POST', `/api/v1/verifications/${a.id as string}`, { decision: 'approve' })).status).toBe(404)
    expect((await api('s1', 'GET', `/api/v1/activities/${a.id as string}`)).body.status).toBe('pending')
  })
})

describe('goals', () => {
  it('are set and updated by the student and their mentor, with dated progress', async () => {
    const goal = await api('s1', 'POST', '/api/v1/goals', { horizon: 'short', text: 'Lead a meeting', targetDate: day(20) })
    expect(goal.status).toBe(201)
    expect(goal.body).toMatchObject({ horizon: 'short', status: 'not-started', progress: [] })
    const long = await api('m1', 'POST', '/api/v1/goals', { studentUserId: id('s1'), horizon: 'long', text: 'Board seat', targetDate: day(900) })
    expect(long.status).toBe(201)
    const progress = await api('s1', 'POST', `/api/v1/goals/${goal.body.id as string}/progress`, { date: day(0), note: 'Chaired a stand-up', status: 'in-progress' })
    expect(progress.body).toMatchObject({ status: 'in-progress', progress: [{ date: day(0), note: 'Chaired a stand-up', status: 'in-progress', by: id('s1') }] })
    const edited = await api('m1', 'PATCH', `/api/v1/goals/${goal.body.id as string}`, { status: 'achieved' })
    expect(edited.body.status).toBe('achieved')
    expect((await api('m2', 'PATCH', `/api/v1/goals/${goal.body.id as string}`, { status: 'dropped' })).status).toBe(404)
    expect((await api('instructor', 'PATCH', `/api/v1/goals/${goal.body.id as string}`, { status: 'dropped' })).status).toBe(403)
    expect((await api('instructor', 'GET', '/api/v1/goals')).body).toHaveLength(2)
    expect((await api('s2', 'GET', '/api/v1/goals')).body).toHaveLength(0)
  })
})

describe('contacts', () => {
  it('are the student\'s and their mentor\'s alone; instructors see only counts', async () => {
    const c = await api('s3', 'POST', '/api/v1/contacts', { name: 'Grace Hopper', organisation: 'Navy', role: 'Admiral', whereMet: 'Field trip', followUp: 'Send thanks' })
    expect(c.status).toBe(201)
    expect((await api('m2', 'GET', '/api/v1/contacts')).body).toHaveLength(1)
    expect((await api('m1', 'GET', '/api/v1/contacts')).body).toHaveLength(0)
    expect((await api('instructor', 'GET', '/api/v1/contacts')).status).toBe(403)
    expect((await api('instructor', 'GET', `/api/v1/contacts/${c.body.id as string}`)).status).toBe(403)
    expect((await api('m2', 'POST', '/api/v1/contacts', { studentUserId: id('s3'), name: 'X' })).status).toBe(403)
    const edited = await api('s3', 'PATCH', `/api/v1/contacts/${c.body.id as string}`, { followUp: 'Thanked' })
    expect(edited.body.followUp).toBe('Thanked')
    const report = await api('instructor', 'GET', '/api/v1/activity-report')
    expect(report.body.find((r: { studentUserId: string }) => r.studentUserId === id('s3'))).toMatchObject({ contacts: 1 })
    expect(JSON.stringify(report.body)).not.toContain('Grace Hopper')
    const audit = await api('instructor', 'GET', `/api/v1/audit?entity=contact&entityId=${c.body.id as string}`)
    expect(audit.body.map((e: { action: string }) => e.action)).toEqual(['update', 'create'])
    expect(JSON.stringify(audit.body)).not.toContain('Grace Hopper')
  })
})

describe('reflections', () => {
  it('are written by the student, optionally about their own activity, and read by mentor and instructor', async () => {
    const mine = (await api('s1', 'GET', '/api/v1/activities')).body[0]
    const other = (await api('s2', 'GET', '/api/v1/activities')).body[0]
    const r = await api('s1', 'POST', '/api/v1/reflections', { date: day(0), text: 'I learnt to listen', activityId: mine.id })
    expect(r.status).toBe(201)
    expect(r.body.activityId).toBe(mine.id)
    const foreign = await api('s1', 'POST', '/api/v1/reflections', { date: day(0), text: 'Not mine', activityId: other.id })
    expect(foreign.status).toBe(400)
    expect(foreign.body.message).toMatch(/activityId/)
    expect((await api('m1', 'GET', `/api/v1/reflections?studentUserId=${id('s1')}`)).body).toHaveLength(1)
    expect((await api('instructor', 'GET', '/api/v1/reflections')).body).toHaveLength(1)
    expect((await api('m1', 'POST', '/api/v1/reflections', { studentUserId: id('s1'), date: day(0), text: 'x' })).status).toBe(403)
    expect((await api('s1', 'PATCH', `/api/v1/reflections/${r.body.id as string}`, { activityId: null })).body.activityId).toBeNull()
    expect((await api('s1', 'DELETE', `/api/v1/reflections/${r.body.id as string}`)).status).toBe(204)
    expect((await api('s1', 'GET', `/api/v1/reflections/${r.body.id as string}`)).status).toBe(404)
    const stored = await world.app.db.models.reflections.findById(r.body.id).lean()
    expect(stored?.deletedAt).toBeInstanceOf(Date)
  })
})

describe('progress', () => {
  it('counts verified activities by kind, goals and reflections per student', async () => {
    const res = await api('m1', 'GET', '/api/v1/progress')
    expect(res.status).toBe(200)
    const s2 = res.body.find((r: { studentUserId: string }) => r.studentUserId === id('s2'))
    expect(s2.progress).toMatchObject({ verified: { session: 1, coaching: 1, meeting: 0 }, coaching: { persuasion: 1, negotiation: 0 } })
    expect((await api('s1', 'GET', '/api/v1/progress')).body).toHaveLength(1)
  })
})
