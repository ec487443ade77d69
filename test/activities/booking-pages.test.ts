import { weekdayOf } from '../../src/domain/term/calendar-day'
import { day, placeTime, expectAccessible, followAs, formAs, pageAs, startWorld, type World } from './support'

/**
 * The booking pages as mentors and students use them: a mentor offers times on their Availability page, a student
 * books one with one button from the free times listed by day, both move or cancel it, and each page says what
 * happened. Times show in UTC through the shared date labels.
 */
let world: World
let page: ReturnType<typeof pageAs>
let form: ReturnType<typeof formAs>
let follow: ReturnType<typeof followAs>

beforeAll(async () => {
  world = await startWorld()
  page = pageAs(world)
  form = formAs(world)
  follow = followAs(world)
})
afterAll(async () => { await world?.close() })

const slot = { weekday: String(weekdayOf(day(2))), from: day(1), until: day(30), startTime: '14:00', minutes: '45', timeZone: 'UTC', place: 'Library, room 2', videoLink: '' }
const firstTime = `${day(2)}T14:00:00.000Z`

describe('a mentor\'s availability page', () => {
  it('is linked from the mentor\'s home and navigation, and says when nothing is offered yet', async () => {
    const home = await page('m1', '/mentor')
    expect(home.html).toContain('href="/mentor/availability?session')
    const res = await page('m1', '/mentor/availability')
    expect(res.status).toBe(200)
    expectAccessible(res.html)
    expect(res.html).toContain('aria-current="page"')
    expect(res.html).toContain('You offer no times yet.')
    expect(res.html).toContain('No sessions are booked with you yet.')
  })

  it('offers a weekly time through a labelled form, in the course\'s zone unless changed, and confirms it', async () => {
    const blank = await page('m1', '/mentor/availability/new?kind=weekly')
    expect(blank.status).toBe(200)
    expectAccessible(blank.html)
    expect(blank.html).toContain('Offer a weekly time')
    expect(blank.html).toContain('<option value="UTC" selected>UTC</option>')

    const wrong = await form('m1', '/mentor/availability/slots?kind=weekly', { ...slot, timeZone: 'Nowhere/Land', videoLink: 'ftp://x' })
    expect(wrong.status).toBe(400)
    expectAccessible(wrong.html)
    expect(wrong.html).toContain('There is a problem')
    expect(wrong.html).toContain('must be a time zone name such as Europe/London')
    expect(wrong.html).toContain('must be a web address starting with https://')
    expect(wrong.html).toContain('value="Library, room 2"')

    const saved = await form('m1', '/mentor/availability/slots?kind=weekly', slot)
    expect(saved.status).toBe(303)
    const after = await follow('m1', saved.location)
    expect(after.html).toContain('Saved. Your mentees can book these times now.')
    expect(after.html).toMatch(/Every \w+day at 14:00 UTC, 45 minutes/)
  })

  it('refuses an overlapping single time, saying which times clash', async () => {
    const clash = await form('m1', '/mentor/availability/slots?kind=once', { date: day(2), startTime: '14:30', minutes: '30', timeZone: 'UTC', place: 'Café', videoLink: '' })
    expect(clash.status).toBe(409)
    expect(clash.html).toContain('overlaps a time you already offer')
  })
})

describe('a student\'s booking page', () => {
  it('lists their mentor\'s free times by day and books one with one button', async () => {
    const home = await page('s1', '/student')
    expect(home.html).toContain('href="/student/booking?session')
    const res = await page('s1', '/student/booking')
    expect(res.status).toBe(200)
    expectAccessible(res.html)
    expect(res.html).toContain('Free times of Daniel Reyes, your mentor')
    expect(res.html).toContain(`<time datetime="${firstTime}">${placeTime(2, '14:00')}</time>`)
    expect(res.html).toMatch(/<h3 id="day-[\d-]+">\d+ \w+ \d{4}<\/h3>/)

    const booked = await form('s1', '/student/booking', { startsAt: firstTime })
    expect(booked.status).toBe(303)
    const after = await follow('s1', booked.location)
    expect(after.html).toContain('Booked. Your mentor is told in Mentorlink and by email')
    expect(after.html).toContain('With Daniel Reyes')
    expect(after.html).toMatch(/href="\/bookings\/[0-9a-f]{24}\/calendar\.ics\?session/)
    expect(after.html).not.toContain(`<input type="hidden" name="startsAt" value="${firstTime}">`)
  })

  it('tells another student the time was just taken, on the page', async () => {
    const late = await form('s2', '/student/booking', { startsAt: firstTime })
    expect(late.status).toBe(409)
    expectAccessible(late.html)
    expect(late.html).toContain('That time was just taken: please choose another free time.')
    expect(late.html).toContain('role="alert"')
  })

  it('does not let another mentor\'s student book the time', async () => {
    const res = await form('s3', '/student/booking', { startsAt: `${day(9)}T14:00:00.000Z` })
    expect(res.status).toBe(409)
    expect(res.html).toContain('is not one of the free times')
  })

  it('shows the planned session in the student\'s record, and the mentor sees the booking and an in-app notice', async () => {
    const record = await page('s1', '/student/activities')
    expect(record.html).toContain('Booked (to complete after the session)')
    const edit = /href="(\/records\/session\/[0-9a-f]{24}\/edit)/.exec(record.html)?.[1] ?? ''
    const complete = await page('s1', edit)
    expect(complete.status).toBe(200)
    expect(complete.html).toContain('This is a booked session. After it, add the topics and notes and save')
    expect(complete.html).not.toContain('/delete')
    await world.app.settled()
    const mentor = await page('m1', '/mentor/availability')
    expect(mentor.html).toContain('With Lucia Ferreira')
    const notices = await page('m1', '/notifications')
    expect(notices.html).toContain('Lucia Ferreira booked a 1:1 session with you')
  })

  it('moves and cancels a session with a note, saying what happened', async () => {
    const bookingId = /\/bookings\/([0-9a-f]{24})\/move/.exec((await page('s1', '/student/booking')).html)?.[1] ?? ''
    const moved = await form('s1', `/bookings/${bookingId}/move`, { startsAt: `${day(9)}T14:00:00.000Z`, note: 'Clash with a lecture' })
    expect(moved.status).toBe(303)
    const after = await follow('s1', moved.location)
    expect(after.html).toContain('Moved. The other person is told')
    expect(after.html).toContain(`${placeTime(9, '14:00')}</time></h3>`)

    const newId = /\/bookings\/([0-9a-f]{24})\/cancel/.exec(after.html)?.[1] ?? ''
    const cancelled = await form('m1', `/bookings/${newId}/cancel`, { note: 'Travelling' })
    expect(cancelled.status).toBe(303)
    expect((await follow('m1', cancelled.location)).html).toContain('Cancelled. The other person is told')
    await world.app.settled()
    expect((await page('s1', '/notifications')).html).toContain('Daniel Reyes cancelled your 1:1 session')
    expect((await page('s1', '/student/booking')).html).toContain('No sessions are booked yet.')
  })

  it('keeps other people out of a session', async () => {
    const res = await form('s1', '/student/booking', { startsAt: `${day(16)}T14:00:00.000Z` })
    const id = /\/bookings\/([0-9a-f]{24})\/cancel/.exec((await follow('s1', res.location)).html)?.[1] ?? ''
    expect((await form('s2', `/bookings/${id}/cancel`, { note: '' })).status).toBe(404)
    expect((await form('m2', `/bookings/${id}/move`, { startsAt: `${day(23)}T14:00:00.000Z` })).status).toBe(404)
    expect((await form('instructor', `/bookings/${id}/cancel`, {})).status).toBe(403)
    expect((await page('s2', '/mentor/availability')).status).toBe(403)
    expect((await page('m1', '/instructor/bookings')).status).toBe(403)
  })

  it('lets the instructor read the course\'s booked sessions, from the activities page', async () => {
    expect((await page('instructor', '/instructor/activities')).html).toContain('href="/instructor/bookings?session')
    const res = await page('instructor', '/instructor/bookings')
    expect(res.status).toBe(200)
    expectAccessible(res.html)
    expect(res.html).toMatch(/<td>Lucia Ferreira<\/td><td>Daniel Reyes<\/td><td>45 minutes<\/td>/)
    expect(res.html).not.toContain('Cancel the session')
    expect((await page('bInstructor', '/instructor/bookings')).html).toContain('No sessions are booked yet.')
  })
})
