import { apiAs, day, expectAccessible, followAs, formAs, pageAs, startWorld, TERM, type World } from './support'

let world: World
let api: ReturnType<typeof apiAs>
let page: ReturnType<typeof pageAs>
let form: ReturnType<typeof formAs>
let follow: ReturnType<typeof followAs>
const id = (key: string) => world.people[key]?.userId as string

beforeAll(async () => {
  world = await startWorld()
  api = apiAs(world)
  page = pageAs(world)
  form = formAs(world)
  follow = followAs(world)
})
afterAll(async () => { await world?.close() })

describe('the student', () => {
  it('sees their record with navigation, and logs a session through the form', async () => {
    const home = await page('s1', '/student/activities')
    expect(home.status).toBe(200)
    expect(home.html).toContain('Your mentoring record')
    expect(home.html).toMatch(/href="\/student\/activities\?session(=|&#x3D;)[^"]+" aria-current="page">My record/)
    expectAccessible(home.html)

    const bad = await form('s1', '/records/session', { date: day(-90), durationMinutes: '45', topics: 'pricing, hiring', notes: 'Typed notes' })
    expect(bad.status).toBe(400)
    expect(bad.html).toContain('There is a problem')
    expect(bad.html).toMatch(/id="error-date"[^>]*>.*must fall between .* \(the term\)/)
    // The date picker keeps to the term.
    expect(bad.html).toMatch(new RegExp(`id="field-date"[^>]*min="${TERM.start}"[^>]*max="${TERM.end}"`))
    expect(bad.html).toMatch(/id="field-date"[^>]*value="[^"]+"/)
    expect(bad.html).toContain(`value="${day(-90)}"`)
    expect(bad.html).toContain('value="pricing, hiring"')
    expect(bad.html).toContain('>Typed notes</textarea>')
    expect(bad.html).toMatch(/id="field-date"[^>]*aria-invalid="true"/)
    expectAccessible(bad.html)
    expect(await world.app.db.models.activities.countDocuments({})).toBe(0)

    const ok = await form('s1', '/records/session', { date: day(-2), durationMinutes: '45', topics: 'pricing, hiring', notes: 'Good talk' })
    expect(ok.status).toBe(303)
    const after = await follow('s1', ok.location)
    expect(after.html).toContain('Saved. Your mentor will verify it.')
    expect(after.html).toContain('Waiting for mentor')
    expect(after.html).toContain('pricing, hiring')
  })

  it('sets a goal and records progress through forms', async () => {
    const goal = await form('s1', '/records/goal', { horizon: 'short', text: 'Run a board meeting', targetDate: day(30), status: 'not-started' })
    expect(goal.status).toBe(303)
    const goalId = (await api('s1', 'GET', '/api/v1/goals')).body[0].id as string
    const empty = await form('s1', `/records/goal/${goalId}/progress`, { date: day(0), note: '', status: '' })
    expect(empty.status).toBe(400)
    expect(empty.html).toMatch(/id="error-note"[^>]*>.*is required/)
    expect((await form('s1', `/records/goal/${goalId}/progress`, { date: day(0), note: 'Drafted an agenda', status: 'in-progress' })).status).toBe(303)
    const record = await page('s1', '/student/activities')
    expect(record.html).toContain('Run a board meeting')
    expect(record.html).toContain('Drafted an agenda')
  })

  it('keeps contacts and reflections', async () => {
    expect((await form('s1', '/records/contact', { name: 'Ada Lovelace', organisation: 'Analytical Engines', role: 'CTO', whereMet: 'Field trip', followUp: '' })).status).toBe(303)
    const activityId = (await api('s1', 'GET', '/api/v1/activities')).body[0].id as string
    const reflect = await page('s1', '/records/reflection/new')
    expect(reflect.html).toContain(`<option value="${activityId}"`)
    expect((await form('s1', '/records/reflection', { date: day(0), text: 'Listening beats talking', activityId })).status).toBe(303)
    const record = await page('s1', '/student/activities')
    expect(record.html).toContain('Ada Lovelace')
    expect(record.html).toContain('Listening beats talking')
  })

  it('cannot open another student\'s entries, nor forms of a kind they may not log', async () => {
    const activityId = (await api('s1', 'GET', '/api/v1/activities')).body[0].id as string
    expect((await page('s2', `/records/session/${activityId}/edit`)).status).toBe(404)
    const coaching = await form('s1', '/records/coaching', { date: day(0), skill: 'negotiation', practised: 'x' })
    expect(coaching.status).toBe(400)
    expect(coaching.html).toContain("Kind of activity: is recorded by your mentor")
    expect((await page('s1', '/mentor/mentees')).status).toBe(403)
  })
})

describe('the mentor', () => {
  it('sees their mentees only, and verifies through the queue', async () => {
    const mentees = await page('m1', '/mentor/mentees')
    expect(mentees.html).toContain('Lucia Ferreira')
    expect(mentees.html).toContain('Tomasz Nowak')
    expect(mentees.html).not.toContain('Priya Raman')
    expectAccessible(mentees.html)
    expect((await page('m1', `/mentor/mentees/${id('s3')}`)).status).toBe(404)
    expect((await page('m1', `/mentor/mentees/${id('bStudent')}`)).status).toBe(404)

    const mentee = await page('m1', `/mentor/mentees/${id('s1')}`)
    expect(mentee.html).toContain('Mentee: Lucia Ferreira')
    expect(mentee.html).toContain('Ada Lovelace')
    expect(mentee.html).toContain('Record skills coaching')
    expectAccessible(mentee.html)

    const queue = await page('m1', '/mentor/verifications')
    expect(queue.html).toContain('Waiting for you (1)')
    const activityId = (await api('s1', 'GET', '/api/v1/activities')).body[0].id as string
    // The return form names the entry: whose, what, when.
    const returnForm = await page('m1', `/mentor/verifications/${activityId}/return`)
    expect(returnForm.html).toMatch(/<h1>Return Lucia Ferreira&#x27;s 1:1 mentoring session of \d{4}-\d{2}-\d{2}<\/h1>/)
    expectAccessible(returnForm.html)
    const noComment = await form('m1', `/mentor/verifications/${activityId}/return`, { comment: '', back: 'list' })
    expect(noComment.status).toBe(400)
    expect(noComment.html).toMatch(/id="error-comment"[^>]*>.*is required when returning an entry/)
    const returned = await form('m1', `/mentor/verifications/${activityId}/return`, { comment: 'Add the date of the follow-up', back: 'list' })
    expect(returned.status).toBe(303)
    expect((await follow('m1', returned.location)).html).toContain('Returned to the student with your comment.')

    expect((await page('s1', '/student/activities')).html).toContain('Add the date of the follow-up')
    // Editing it, the student reads the comment above the form.
    expect((await page('s1', `/records/session/${activityId}/edit`)).html).toContain('Your mentor returned this entry: “Add the date of the follow-up”.')
    await form('s1', `/records/session/${activityId}`, { date: day(-2), durationMinutes: '50', topics: 'pricing', notes: 'Follow-up on Friday' })
    const approve = await form('m1', `/mentor/verifications/${activityId}/approve`, { back: 'mentee' })
    expect(approve.location).toContain(`/mentor/mentees/${id('s1')}`)
    expect((await page('s1', '/student/activities')).html).toContain('status-verified')
  })

  it('records coaching for a mentee through the form', async () => {
    const created = await form('m1', '/records/coaching', { studentUserId: id('s2'), date: day(-1), skill: 'leadership', practised: 'Decision under uncertainty' })
    expect(created.status).toBe(303)
    expect(created.location).toContain(`/mentor/mentees/${id('s2')}`)
    const refused = await form('m1', '/records/coaching', { studentUserId: id('s3'), date: day(-1), skill: 'leadership', practised: 'x' })
    expect(refused.status).toBe(400)
    expect(refused.html).toContain('is not one of your mentees')
  })
})
