import { apiAs, day, expectAccessible, followAs, formAs, minutesFromNow, pageAs, startWorld, type World } from './support'

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
  // What the instructor's pages must count but never show: an activity and a private contact of Lucia.
  await api('s1', 'POST', '/api/v1/activities', { kind: 'session', date: day(-2), durationMinutes: 30, topics: ['pricing'] })
  await api('s1', 'POST', '/api/v1/contacts', { name: 'Ada Lovelace', organisation: 'Analytical Engines' })
})
afterAll(async () => { await world?.close() })

describe('field trips', () => {
  it('are organised, answered, checked off and checked in to through pages', async () => {
    const newForm = await page('m1', '/field-trips/new')
    expect(newForm.html).toContain('Invited students')
    expect(newForm.html).not.toContain('Priya Raman')
    expectAccessible(newForm.html)
    const bad = await form('m1', '/field-trips', { title: 'Harbour visit', startsAt: `${day(400)}T10:00`, endsAt: `${day(400)}T12:00`, place: 'Port', description: '', capacity: '2', invitedUserIds: [id('s1'), id('s2')] })
    expect(bad.status).toBe(400)
    expect(bad.html).toMatch(/id="error-startsAt"[^>]*>.*must fall between .* \(the term\)/)
    expect(bad.html).toContain('value="Harbour visit"')
    // Half an hour before the start: students still answer, and check-in is open (from an hour before).
    const created = await form('m1', '/field-trips', { title: 'Harbour visit', startsAt: minutesFromNow(30), endsAt: minutesFromNow(150), place: 'Port', description: 'Logistics', capacity: '2', invitedUserIds: [id('s1')] })
    expect(created.status).toBe(303)
    const tripId = /\/field-trips\/([0-9a-f]{24})/.exec(created.location ?? '')?.[1] as string

    const list = await page('s1', '/student/field-trips')
    expect(list.html).toContain('Harbour visit')
    expect(list.html).toContain('Are you coming to Harbour visit?')
    expectAccessible(list.html)
    expect((await page('s2', '/student/field-trips')).html).not.toContain('Harbour visit')
    expect((await form('s1', `/field-trips/${tripId}/rsvp`, { answer: 'yes' })).status).toBe(303)
    const answered = (await page('s1', '/student/field-trips')).html
    expect(answered).toContain('Your answer: Yes, you are coming.')
    expect(answered).toMatch(/name="answer" value="no"[^>]*>Change to: No, I am not coming/)
    expect(answered).not.toMatch(/name="answer" value="yes"/)

    const detail = await page('m1', `/field-trips/${tripId}`)
    expect(detail.html).toContain('1 of 2 seats taken')
    expect(detail.html).not.toContain('name="status-')
    expect(detail.html).toContain('The attendance checklist opens when the trip starts')
    expectAccessible(detail.html)
    expect((await page('m2', `/field-trips/${tripId}`)).status).toBe(404)
    expect((await page('s1', `/field-trips/${tripId}`)).status).toBe(403)

    const tooLong = await form('m1', `/field-trips/${tripId}/check-ins`, { minutes: '5000' })
    expect(tooLong.status).toBe(400)
    expect(tooLong.html).toMatch(/id="error-minutes"[^>]*>.*whole number from 1 to 1440/)
    expect((await form('m1', `/field-trips/${tripId}/check-ins`, { minutes: '20' })).status).toBe(303)
    const code = /class="checkin-code"><span class="visually-hidden">Code: <\/span>([A-Z0-9]{6})</.exec((await page('m1', `/field-trips/${tripId}`)).html)?.[1] as string
    expect(code).toMatch(/^[A-Z0-9]{6}$/)

    const wrong = await form('s1', '/student/check-in', { code: 'QQQQQQ' })
    expect(wrong.status).toBe(400)
    expect(wrong.html).toMatch(/id="error-code"[^>]*>.*not a check-in code of this course/)
    expect(wrong.html).toContain('value="QQQQQQ"')
    const right = await form('s1', '/student/check-in', { code })
    expect(right.status).toBe(303)
    expect((await follow('s1', right.location)).html).toContain('You are checked in.')
    const again = (await follow('s1', (await form('s1', '/student/check-in', { code })).location)).html
    expect(again).toContain('You were already checked in.')
    expect(again).not.toContain('Are you coming to Harbour visit?')

    await world.app.db.models.fieldTrips.updateOne({ _id: tripId }, { $set: { startsAt: new Date(Date.now() - 60_000) } })
    expect((await page('m1', `/field-trips/${tripId}`)).html).toContain('name="status-')

    const sheet = await form('m1', `/field-trips/${tripId}/attendance`, { [`status-${id('s1')}`]: 'present' })
    expect(sheet.status).toBe(303)
    const stranger = await form('m1', `/field-trips/${tripId}/attendance`, { [`status-${id('s2')}`]: 'present' })
    expect(stranger.status).toBe(400)
    expect(stranger.html).toContain('was not invited to this field trip')
  })
})

describe('the instructor', () => {
  it('sets the term on the Term page, LMS dates shown as such', async () => {
    const termPage = await page('instructor', '/instructor/term')
    expect(termPage.html).toContain('(set by your LMS)')
    expectAccessible(termPage.html)
    const bad = await form('instructor', '/instructor/term', { milestoneTitle: ['Kick-off', ''], milestoneDate: [day(500), ''] })
    expect(bad.status).toBe(400)
    expect(bad.html).toMatch(/id="error-milestone-date-1"[^>]*>.*Milestone 1: the date must fall between \d{1,2} [A-Z][a-z]{2}( \d{4})? and \d{1,2} [A-Z][a-z]{2} \d{4} \(the term\)/)
    expect(bad.html).toContain('value="Kick-off"')
    expect((await form('instructor', '/instructor/term', { milestoneTitle: ['Kick-off', ''], milestoneDate: [day(-20), ''] })).status).toBe(303)
    expect((await page('s1', '/student/activities')).html).toContain('Milestone: Kick-off')
  })

  it('sees the course-wide table, filters it, exports CSV and a weekly chart, but never contact details', async () => {
    const report = await page('instructor', '/instructor/activities')
    expect(report.status).toBe(200)
    expect(report.html).toContain('Students (3)')
    expect(report.html).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="chart-svg-title chart-svg-desc"/)
    expect(report.html).toContain('The numbers behind the chart')
    expect(report.html).not.toContain('Ada Lovelace')
    expectAccessible(report.html)

    const byMentor = await page('instructor', `/instructor/activities?mentorId=${world.mentorIds.m2 ?? ''}&status=`)
    expect(byMentor.html).toContain('Students (1)')
    expect(byMentor.html).toContain('Priya Raman')
    const inactive = await page('instructor', '/instructor/activities?mentorId=&status=inactive')
    expect(inactive.html).toContain('Priya Raman')
    expect(inactive.html).not.toContain('Lucia Ferreira</a>')
    expect((await page('instructor', '/instructor/activities?mentorId=nonsense')).status).toBe(400)

    const csv = await fetch(`${world.app.config.publicUrl}/instructor/activities.csv?session=${world.people.instructor?.token ?? ''}`)
    expect(csv.headers.get('content-type')).toContain('text/csv')
    const lines = (await csv.text()).trim().split('\n')
    expect(lines[0]).toContain('student,email,mentor,session_verified')
    expect(lines).toHaveLength(4)
    expect(lines.find((l) => l.startsWith('Lucia Ferreira'))).toContain('Daniel Reyes')

    const student = await page('instructor', `/instructor/students/${id('s1')}`)
    expect(student.html).toContain('Student: Lucia Ferreira')
    expect(student.html).toContain('networking contacts. Contacts are private')
    expect(student.html).not.toContain('Ada Lovelace')
    expect((await page('instructor', `/instructor/students/${id('bStudent')}`)).status).toBe(404)
  })

  it('shows a short summary on every home page', async () => {
    expect((await page('instructor', '/instructor')).html).toContain('Mentoring activities')
    expect((await page('m1', '/mentor')).html).toContain('Waiting for your verification')
    expect((await page('s1', '/student')).html).toContain('Verified activities')
  })
})

describe('the API documentation', () => {
  it('lists the activity routes with their schemas', async () => {
    const doc = await (await fetch(`${world.app.config.publicUrl}/docs/json`)).json() as { paths: Record<string, unknown> }
    for (const path of ['/api/v1/activities', '/api/v1/activities/{id}', '/api/v1/verifications/{id}', '/api/v1/goals/{id}/progress', '/api/v1/contacts',
      '/api/v1/reflections', '/api/v1/field-trips/{id}/rsvp', '/api/v1/field-trips/{id}/check-ins', '/api/v1/check-ins', '/api/v1/term', '/api/v1/activity-report', '/api/v1/audit', '/api/v1/progress']) {
      expect(doc.paths).toHaveProperty([path])
    }
  })
})
