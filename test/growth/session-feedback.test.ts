import { Types } from 'mongoose'
import { apiAs, day, expectAccessible, followAs, formAs, pageAs, startWorld, type World } from '../activities/support'
import { addExternalMentor } from './support'

/**
 * "How useful was this session?" after each verified 1:1 session, for both sides: asked only then, final once
 * given, each side about their own sessions only; answers of 2 or less on the instructor's at-risk list.
 */
let world: World
let api: ReturnType<typeof apiAs>
let page: ReturnType<typeof pageAs>
let form: ReturnType<typeof formAs>
let verified = ''
let pending = ''

beforeAll(async () => {
  world = await startWorld()
  api = apiAs(world)
  page = pageAs(world)
  form = formAs(world)
  verified = (await api('s1', 'POST', '/api/v1/activities', { kind: 'session', date: day(-3), durationMinutes: 45, topics: ['pricing'] })).body.id
  pending = (await api('s1', 'POST', '/api/v1/activities', { kind: 'session', date: day(-1), durationMinutes: 30, topics: ['board'] })).body.id
  expect((await api('m1', 'POST', `/api/v1/verifications/${verified}`, { decision: 'approve' })).status).toBe(200)
})
afterAll(async () => { await world?.close() })

it('asks both sides about verified sessions only', async () => {
  for (const who of ['s1', 'm1']) {
    const res = await api(who, 'GET', '/api/v1/feedback')
    expect(res.status).toBe(200)
    expect(res.body.waiting.map((w: { activityId: string }) => w.activityId)).toEqual([verified])
  }
  expect((await api('s2', 'GET', '/api/v1/feedback')).body.waiting).toEqual([])
  expect((await api('m2', 'GET', '/api/v1/feedback')).body.waiting).toEqual([])
  const early = await api('s1', 'POST', `/api/v1/feedback/${pending}`, { rating: 4 })
  expect(early.status).toBe(409)
  expect(early.body.message).toBe('Feedback is asked for verified 1:1 sessions only')
})

it('takes one final answer per side through the page, naming what is missing', async () => {
  const open = await page('s1', '/feedback')
  expect(open.status).toBe(200)
  expectAccessible(open.html)
  expect(open.html).toMatch(/<a href="\/feedback\?session[^"]*" aria-current="page">Session feedback<\/a>/)
  expect(open.html).toContain(`How useful was the session of <time datetime="${day(-3)}">${day(-3)}</time>?`)
  const blank = await form('s1', `/feedback/${verified}`, { comment: 'Too short' })
  expect(blank.status).toBe(400)
  expect(blank.html).toContain('choose how useful the session was, from 1 to 5')
  expect(blank.html).toContain('Too short</textarea>')
  // Each form posts to its own question's anchor, so the refused answer comes back in view.
  expect(blank.html).toContain(`action="/feedback/${verified}#rating-${verified}"`)
  expect(blank.html).toContain(`id="rating-${verified}"`)
  const sent = await form('s1', `/feedback/${verified}`, { rating: '2', comment: 'We ran out of time' })
  expect(sent.status).toBe(303)
  const after = await followAs(world)('s1', sent.location)
  expect(after.html).toContain('Thank you: your answer is saved. Your instructor sees it.')
  // A low answer points the student to asking for a different pairing.
  expect(after.html).toMatch(/<a href="\/pairing\/request\?session[^"]*">ask for a different pairing<\/a>/)
  expect(after.html).toContain('We ran out of time')
  const again = await api('s1', 'POST', `/api/v1/feedback/${verified}`, { rating: 5 })
  expect(again.status).toBe(409)
  expect(again.body.message).toBe('You already said how useful this session was; answers are final')
  const bad = await api('m1', 'POST', `/api/v1/feedback/${verified}`, { rating: 6 })
  expect(bad.status).toBe(400)
  expect(bad.body.message).toContain('rating')
  expect((await api('m1', 'POST', `/api/v1/feedback/${verified}`, { rating: 4, comment: 'Good progress' })).status).toBe(201)
  // The student does not see the mentor's answer, nor the mentor the student's.
  expect(JSON.stringify((await api('s1', 'GET', '/api/v1/feedback')).body)).not.toContain('Good progress')
  expect(JSON.stringify((await api('m1', 'GET', '/api/v1/feedback')).body)).not.toContain('We ran out of time')
})

it('lets nobody else answer about a session', async () => {
  expect((await api('s2', 'POST', `/api/v1/feedback/${verified}`, { rating: 3 })).status).toBe(404)
  expect((await api('m2', 'POST', `/api/v1/feedback/${verified}`, { rating: 3 })).status).toBe(404)
  expect((await api('bMentor', 'POST', `/api/v1/feedback/${verified}`, { rating: 3 })).status).toBe(404)
  expect((await api('instructor', 'POST', `/api/v1/feedback/${verified}`, { rating: 3 })).status).toBe(403)
  await addExternalMentor(world, 's3')
  expect((await api('ext', 'POST', `/api/v1/feedback/${verified}`, { rating: 3 })).status).toBe(404)
  expect((await api('ext', 'GET', '/api/v1/feedback')).status).toBe(200)
  expect((await page('instructor', '/feedback')).status).toBe(403)
})

it('puts low answers on the instructor\'s at-risk list with the reason, and nowhere for other courses', async () => {
  const low = await api('instructor', 'GET', '/api/v1/feedback/low')
  expect(low.status).toBe(200)
  expect(low.body).toMatchObject([{ activityId: verified, side: 'student', rating: 2, comment: 'We ran out of time' }])
  const res = await page('instructor', '/instructor/at-risk')
  expect(res.status).toBe(200)
  expectAccessible(res.html)
  expect(res.html).toMatch(new RegExp(`>Lucia Ferreira</a></th><td><time datetime="[\\d-]+">[\\d-]+</time></td><td>Session of ${day(-3)} rated 2 of 5 for usefulness by the student</td><td>We ran out of time</td>`))
  expect(res.html).not.toContain('Good progress')
  expect((await api('bInstructor', 'GET', '/api/v1/feedback/low')).body).toEqual([])
  expect((await page('bInstructor', '/instructor/at-risk')).html).not.toContain('We ran out of time')
  for (const who of ['s1', 'm1']) expect((await api(who, 'GET', '/api/v1/feedback/low')).status).toBe(403)
})

it('counts the answers in the programme report, the mean withheld below 5 students', async () => {
  const report = await api('instructor', 'GET', '/api/v1/report')
  expect(report.body.feedback).toEqual([{ side: 'student', responses: 1, students: 1, mean: null }, { side: 'mentor', responses: 1, students: 1, mean: null }])
  expect((await page('instructor', '/instructor/report')).html).toContain('<th scope="row">Students</th><td>1</td><td>1</td><td>Withheld: fewer than 5 students</td>')
})

describe('rematch requests', () => {
  it('show the instructor the low answers about the student\'s sessions and pairing', async () => {
    await world.app.db.models.pairingPlans.updateOne({ courseId: new Types.ObjectId(world.people.instructor?.courseId) }, { $set: { publishedAt: new Date() } }, { upsert: true })
    expect((await form('s1', '/pairing/request', { reason: 'Our sessions are too short' })).status).toBe(303)
    const res = await page('instructor', '/instructor/pairing')
    expect(res.status).toBe(200)
    expect(res.html).toContain(`<li>Session of ${day(-3)} rated 2 of 5 for usefulness by the student: “We ran out of time”</li>`)
  })
})

describe('relationship check-ins at the assessment points', () => {
  it('are due from each side once a point opens, per mentee for a mentor, and final once given', async () => {
    const s1 = await api('s1', 'GET', '/api/v1/checkins')
    expect(s1.status).toBe(200)
    // Only the start point has opened in this term (its mid-term opens later).
    expect(s1.body.due.map((d: { point: { key: string }, studentUserId: string }) => [d.point.key, d.studentUserId])).toEqual([['start', world.people.s1?.userId]])
    const m1 = await api('m1', 'GET', '/api/v1/checkins')
    expect(m1.body.due.map((d: { studentUserId: string }) => d.studentUserId).sort()).toEqual([world.people.s1?.userId, world.people.s2?.userId].sort())
    const early = await api('s1', 'POST', '/api/v1/checkins', { point: 'end', rating: 4 })
    expect(early.status).toBe(409)
    expect(early.body.message).toBe('This check-in is not open yet')
    const blank = await form('m1', '/feedback/check-in', { point: 'start', studentUserId: world.people.s2?.userId ?? '' })
    expect(blank.status).toBe(400)
    expect(blank.html).toContain('choose how well it works, from 1 to 5')
    const key = `start-${world.people.s2?.userId ?? ''}`
    expect(blank.html).toContain(`action="/feedback/check-in#check-in-${key}"`)
    expect(blank.html).toContain(`<fieldset id="check-in-${key}"`)
    expect((await form('m1', '/feedback/check-in', { point: 'start', studentUserId: world.people.s2?.userId ?? '', rating: '1', comment: 'We never meet' })).status).toBe(303)
    expect((await api('m1', 'POST', '/api/v1/checkins', { point: 'start', studentUserId: world.people.s2?.userId, rating: 5 })).status).toBe(409)
    expect((await api('m2', 'POST', '/api/v1/checkins', { point: 'start', studentUserId: world.people.s1?.userId, rating: 5 })).status).toBe(403)
    expect((await api('s1', 'POST', '/api/v1/checkins', { point: 'start', rating: 4 })).status).toBe(201)
    expect((await api('s1', 'GET', '/api/v1/checkins')).body.due).toEqual([])
    expect((await api('instructor', 'POST', '/api/v1/checkins', { point: 'start', rating: 4 })).status).toBe(403)
  })

  it('puts a low check-in on the at-risk list with who gave it', async () => {
    const res = await page('instructor', '/instructor/at-risk')
    expect(res.html).toContain('<td>Relationship check-in (Start of term) rated 1 of 5 by the mentor</td><td>We never meet</td>')
    expect(res.html).not.toContain('rated 4 of 5')
  })
})
