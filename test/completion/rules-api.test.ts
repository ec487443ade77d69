import { DEFAULT_RULES } from '../../src/domain/completion/rules'
import { day, eventually, QUICK_RULES, recordSession, startGradeWorld, type GradeWorld } from '../grades/support'

let world: GradeWorld
beforeAll(async () => { world = await startGradeWorld() })
afterAll(async () => { await world?.close() })

const withSessions = (need: number) => ({ ...DEFAULT_RULES, requirements: { ...DEFAULT_RULES.requirements, sessions: { need, points: 30 } } })

describe('completion rules API', () => {
  it('starts from the defaults, unsaved', async () => {
    const res = await world.api('s1', 'GET', '/api/v1/completion/rules')
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ saved: false, scoreMaximum: 100, rules: DEFAULT_RULES, updatedAt: null })
  })

  it('previews draft rules for every active student without saving them', async () => {
    await recordSession(world, 's1')
    const res = await world.api('inst', 'POST', '/api/v1/completion/preview', withSessions(1))
    expect(res.status).toBe(200)
    expect(res.body).toHaveLength(3)
    const s1 = res.body.find((r: { studentUserId: string }) => r.studentUserId === world.people.s1?.userId)
    expect(s1).toMatchObject({ score: 30, scoreMaximum: 100, complete: false })
    expect(s1.missing.map((m: { requirement: string }) => m.requirement)).not.toContain('sessions')
    expect((await world.api('inst', 'GET', '/api/v1/completion/rules')).body.saved).toBe(false)
    expect(world.sim.lineItems('mgt600')).toHaveLength(0)
  })

  it('refuses invalid rules naming the field', async () => {
    const negative = await world.api('inst', 'PUT', '/api/v1/completion/rules', withSessions(-1))
    expect(negative.status).toBe(400)
    expect(negative.body.fields[0].field).toBe('body.requirements.sessions.need')
    const nothing = { ...QUICK_RULES, requirements: Object.fromEntries(Object.keys(QUICK_RULES.requirements).map((k) => [k, { need: 0, points: 0 }])) }
    const empty = await world.api('inst', 'PUT', '/api/v1/completion/rules', nothing)
    expect(empty.status).toBe(400)
    expect(empty.body.message).toMatch(/body\.requirements: must require at least one activity/)
    expect((await world.api('inst', 'PUT', '/api/v1/completion/rules', { ...QUICK_RULES, runningScores: 'sometimes' })).body.fields[0].field).toBe('body.runningScores')
  })
})

describe('only the course\'s instructors', () => {
  it.each([['s1'], ['m1']])('refuse %s changing rules or triggering a sync', async (who) => {
    expect((await world.api(who, 'PUT', '/api/v1/completion/rules', QUICK_RULES)).status).toBe(403)
    expect((await world.api(who, 'POST', '/api/v1/completion/preview', QUICK_RULES)).status).toBe(403)
    expect((await world.api(who, 'POST', '/api/v1/grades/sync')).status).toBe(403)
    expect((await world.api(who, 'POST', '/api/v1/grades/retry', {})).status).toBe(403)
    expect((await world.api(who, 'GET', '/api/v1/grades')).status).toBe(403)
    expect((await world.form(who, '/instructor/completion', { action: 'save', need_sessions: '1' })).status).toBe(403)
    expect((await world.form(who, '/instructor/grades/sync', {})).status).toBe(403)
    expect((await world.form(who, '/instructor/grades/retry', {})).status).toBe(403)
    expect((await world.page(who, '/instructor/grades')).status).toBe(403)
  })

  it('keep another course\'s instructor to their own course', async () => {
    const theirs = await world.api('other', 'PUT', '/api/v1/completion/rules', QUICK_RULES)
    expect(theirs.status).toBe(200)
    expect(theirs.body.recompute).toMatchObject({ students: 0 })
    expect((await world.api('inst', 'GET', '/api/v1/completion/rules')).body.saved).toBe(false)
    expect((await world.api('other', 'GET', '/api/v1/grades')).body.students).toEqual([])
  })
})

describe('the Completion page', () => {
  it('shows the rules and a progress bar per student', async () => {
    const page = await world.page('inst', '/instructor/completion')
    expect(page.status).toBe(200)
    expect(page.html).toContain('These are the default rules')
    expect(page.html).toMatch(/<progress max="100" value="5" aria-label="Completion score of Person S1">/)
    expect(page.html).toContain('Verified 1:1 mentoring sessions: 1 of 6')
  })

  it('previews a draft, names a bad field, and saves', async () => {
    const rulesStep = /checklist-(\w+)">\s*<span class="checklist-label">Completion rules/
    expect(rulesStep.exec((await world.page('inst', '/instructor')).html)?.[1]).toBe('todo')
    const preview = await world.form('inst', '/instructor/completion', { action: 'preview', ...formOf(withSessions(1)) })
    expect(preview.status).toBe(200)
    expect(preview.html).toContain('Preview of these rules (not saved)')
    const bad = await world.form('inst', '/instructor/completion', { action: 'save', ...formOf(DEFAULT_RULES), need_sessions: 'six' })
    expect(bad.status).toBe(400)
    expect(bad.html).toContain('Verified 1:1 mentoring sessions, number needed: must be a whole number from 0 to 100')
    expect(bad.html).toMatch(/id="need_sessions"[^>]*aria-invalid="true"/)
    expect((await world.api('inst', 'GET', '/api/v1/completion/rules')).body.saved).toBe(false)
    const saved = await world.form('inst', '/instructor/completion', { action: 'save', ...formOf(withSessions(2)) })
    expect(saved.status).toBe(303)
    expect(saved.location).toMatch(/^\/instructor\/completion\?notice=saved/)
    expect((await world.api('inst', 'GET', '/api/v1/completion/rules')).body).toMatchObject({ saved: true, rules: withSessions(2) })
    expect(rulesStep.exec((await world.page('inst', '/instructor')).html)?.[1]).toBe('done')
    await eventually(() => expect(world.gradebook().size).toBe(3))
  })
})

describe('progress on the home pages', () => {
  it('shows a student their progress bar and what is missing', async () => {
    const home = await world.page('s1', '/student')
    expect(home.html).toContain('<label for="completion-bar">Your completion score</label>')
    expect(home.html).toMatch(/<progress id="completion-bar" max="100" value="15">/)
    expect(home.html).toContain('<li>Verified 1:1 mentoring sessions: 1 of 2</li>')
  })

  it('shows a mentor each mentee\'s progress', async () => {
    const home = await world.page('m1', '/mentor')
    expect(home.html).toContain('Your mentees towards completion')
    expect(home.html.match(/<progress id="completion-/g)).toHaveLength(3)
  })
})

it('completing the default requirements through the mentoring record puts a Completed full score in the gradebook', async () => {
  await world.api('inst', 'PUT', '/api/v1/completion/rules', DEFAULT_RULES)
  const s2 = world.people.s2?.userId
  for (let i = 0; i < 6; i++) await recordSession(world, 's2')
  expect((await world.api('m1', 'POST', '/api/v1/activities', { kind: 'meeting', studentUserId: s2, date: day(-2), organisation: 'Board of Acme', reflection: 'Chairing' })).status).toBe(201)
  for (const horizon of ['short', 'long']) {
    expect((await world.api('s2', 'POST', '/api/v1/goals', { horizon, text: `A ${horizon}-term goal`, targetDate: day(30) })).status).toBe(201)
  }
  for (const title of ['Stock exchange', 'Port authority']) {
    const trip = await world.api('inst', 'POST', '/api/v1/field-trips', { title, startsAt: `${day(-3)}T10:00`, endsAt: `${day(-3)}T12:00`, place: 'City', capacity: 10, invitedUserIds: [s2] })
    expect(trip.status).toBe(201)
    expect((await world.api('inst', 'PUT', `/api/v1/field-trips/${trip.body.id as string}/attendance`, { entries: [{ studentUserId: s2, status: 'present' }] })).status).toBe(200)
  }
  await eventually(() => expect(world.gradebook().get('s2')).toMatchObject({ scoreGiven: 80, comment: 'Missing: 1 more reflection.' }))
  expect((await world.api('s2', 'POST', '/api/v1/reflections', { date: day(-1), text: 'Final reflection' })).status).toBe(201)
  await eventually(() => expect(world.gradebook().get('s2')).toMatchObject({
    scoreGiven: 100, scoreMaximum: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded', comment: 'Mentoring programme complete.'
  }))
  const progress = (await world.api('s2', 'GET', '/api/v1/completion/progress')).body
  expect(progress).toHaveLength(1)
  expect(progress[0]).toMatchObject({ complete: true, score: 100, missing: [] })
})

it('documents the routes in the OpenAPI document', async () => {
  const doc = await (await fetch(`${world.app.config.publicUrl}/docs/json`)).json() as { paths: Record<string, unknown> }
  for (const path of ['/api/v1/completion/rules', '/api/v1/completion/preview', '/api/v1/completion/progress', '/api/v1/grades', '/api/v1/grades/retry', '/api/v1/grades/sync']) {
    expect(Object.keys(doc.paths)).toContain(path)
  }
})

function formOf (rules: typeof DEFAULT_RULES): Record<string, string> {
  const fields: Record<string, string> = { runningScores: rules.runningScores }
  if (rules.partialCredit) fields.partialCredit = 'on'
  for (const [key, r] of Object.entries(rules.requirements)) { fields[`need_${key}`] = String(r.need); fields[`points_${key}`] = String(r.points) }
  return fields
}
