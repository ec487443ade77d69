import { apiAs, day, placeTime, expectAccessible, formAs, minutesFromNow, pageAs, startWorld, type World } from './support'


/**
 * Field trips follow their clock: check-in codes work only around the trip (by default from an hour before the start
 * to two hours after the end, the instructor's to change), attendance is kept once the trip started, and a trip
 * counts toward progress only once it has started.
 */
let world: World
let api: ReturnType<typeof apiAs>
let page: ReturnType<typeof pageAs>
let form: ReturnType<typeof formAs>
const id = (key: string) => world.people[key]?.userId as string

beforeAll(async () => {
  world = await startWorld()
  api = apiAs(world)
  page = pageAs(world)
  form = formAs(world)
})
afterAll(async () => { await world?.close() })

const trip = async (title: string, startsAt: string, endsAt: string) => {
  const res = await api('m1', 'POST', '/api/v1/field-trips', { title, startsAt, endsAt, place: 'Frankfurt', capacity: 10 })
  expect(res.status).toBe(201)
  return res.body.id as string
}
const moveTrip = async (tripId: string, startsAt: Date, endsAt: Date) => {
  await world.app.db.models.fieldTrips.updateOne({ _id: tripId }, { $set: { startsAt, endsAt } })
}
const openCheckIn = async (tripId: string, body: Record<string, unknown> = { minutes: 30 }) => await api('m1', 'POST', `/api/v1/field-trips/${tripId}/check-ins`, body)
const attended = async (who: string): Promise<number> => (await api(who, 'GET', '/api/v1/progress')).body[0].progress.fieldTripsAttended

describe('check-in codes', () => {
  it('cannot be opened weeks before a trip, and a code opened earlier is refused before the window, naming the times', async () => {
    const later = await trip('Bank visit', `${day(50)}T10:00`, `${day(50)}T12:00`)
    const early = await openCheckIn(later)
    expect(early.status).toBe(409)
    expect(early.body.message).toMatch(new RegExp(`can only be opened between ${placeTime(50, '09:00')} and ${placeTime(50, '14:00')}`))
    const inAdvance = await openCheckIn(later, { minutes: 30, opensAt: new Date(Date.now() + 3_600_000).toISOString() })
    expect(inAdvance.status).toBe(409)

    // A code opened while the trip was due now, then the trip moved weeks ahead: the code waits for the trip.
    const moved = await trip('Moved visit', minutesFromNow(-10), minutesFromNow(110))
    const { code } = (await openCheckIn(moved)).body
    await moveTrip(moved, new Date(`${day(50)}T10:00:00Z`), new Date(`${day(50)}T12:00:00Z`))
    const refused = await api('s1', 'POST', '/api/v1/check-ins', { code })
    expect(refused.status).toBe(409)
    expect(refused.body.message).toBe(`code: is not valid yet: check-in for Moved visit opens at ${placeTime(50, '09:00')}`)
    expect(await world.app.db.models.attendance.countDocuments({ fieldTripId: moved })).toBe(0)
    expect(await attended('s1')).toBe(0)
  })

  it('are refused after the window, naming when it closed', async () => {
    const over = await trip('Long ago', `${day(-3)}T10:00`, `${day(-3)}T12:00`)
    const late = await openCheckIn(over)
    expect(late.status).toBe(409)
    expect(late.body.message).toContain(`and ${placeTime(-3, '14:00')}`)

    const ended = await trip('Just ended', minutesFromNow(-10), minutesFromNow(110))
    const { code } = (await openCheckIn(ended, { minutes: 600 })).body
    const start = new Date(Date.now() - 5 * 3_600_000)
    await moveTrip(ended, start, new Date(start.getTime() + 3_600_000))
    const refused = await api('s2', 'POST', '/api/v1/check-ins', { code })
    expect(refused.status).toBe(409)
    expect(refused.body.message).toMatch(/^code: is no longer valid: check-in for Just ended closed at \w{3} \d{1,2} \w{3} \d{4}, \d\d:\d\d UTC$/)
  })

  it('work from an hour before the start, never past two hours after the end', async () => {
    const soon = await trip('Soon', minutesFromNow(40), minutesFromNow(100))
    const opened = await openCheckIn(soon, { minutes: 1440 })
    expect(opened.status).toBe(201)
    // Closes two hours after the end, not a day later.
    expect(Date.parse(opened.body.closesAt as string) - Date.parse(`${minutesFromNow(100)}:00Z`)).toBeLessThanOrEqual(2 * 3_600_000 + 60_000)
    const checked = await api('s1', 'POST', '/api/v1/check-ins', { code: opened.body.code })
    expect(checked.status).toBe(200)
  })

  it('follow the instructor\'s window for the course, checked by zod; only instructors change it', async () => {
    expect((await api('instructor', 'GET', '/api/v1/field-trip-settings/check-in-window')).body).toEqual({ beforeMinutes: 60, afterMinutes: 120 })
    const bad = await api('instructor', 'PUT', '/api/v1/field-trip-settings/check-in-window', { beforeMinutes: 5000, afterMinutes: -1 })
    expect(bad.status).toBe(400)
    expect(bad.body.message).toContain('body.beforeMinutes')
    expect(bad.body.message).toContain('body.afterMinutes')
    expect((await api('m1', 'PUT', '/api/v1/field-trip-settings/check-in-window', { beforeMinutes: 0, afterMinutes: 0 })).status).toBe(403)

    const refused = await form('instructor', '/instructor/field-trips/check-in-window', { beforeMinutes: 'soon', afterMinutes: '30' })
    expect(refused.status).toBe(400)
    expect(refused.html).toMatch(/id="error-beforeMinutes"[^>]*>.*whole number from 0 to 1440/)
    expectAccessible(refused.html)
    const saved = await form('instructor', '/instructor/field-trips/check-in-window', { beforeMinutes: '0', afterMinutes: '30' })
    expect(saved.status).toBe(303)
    expect((await page('instructor', '/instructor/field-trips')).html).toContain('value="30"')

    const inHalfAnHour = await trip('Not before the start', minutesFromNow(30), minutesFromNow(90))
    const tooEarly = await openCheckIn(inHalfAnHour)
    expect(tooEarly.status).toBe(409)
    expect(tooEarly.body.message).toContain('can only be opened between')
    expect((await api('bInstructor', 'GET', '/api/v1/field-trip-settings/check-in-window')).body).toEqual({ beforeMinutes: 60, afterMinutes: 120 })
    await api('instructor', 'PUT', '/api/v1/field-trip-settings/check-in-window', { beforeMinutes: 60, afterMinutes: 120 })
  })
})

describe('attendance and progress', () => {
  it('refuses the checklist before the trip starts, with a plain 409; the page says when it opens', async () => {
    const tripId = await trip('Tomorrow', `${day(1)}T10:00`, `${day(1)}T12:00`)
    const res = await api('m1', 'PUT', `/api/v1/field-trips/${tripId}/attendance`, { entries: [{ studentUserId: id('s1'), status: 'present' }] })
    expect(res.status).toBe(409)
    expect(res.body.message).toBe(`Attendance can be recorded once the trip has started, at ${placeTime(1, '10:00')}.`)
    expect(await world.app.db.models.attendance.countDocuments({ fieldTripId: tripId })).toBe(0)
    const detail = await page('m1', `/field-trips/${tripId}`)
    expect(detail.html).not.toContain('name="status-')
    expect(detail.html).toContain(`The attendance checklist opens when the trip starts, at ${placeTime(1, '10:00')}.`)
    const sheet = await form('m1', `/field-trips/${tripId}/attendance`, { [`status-${id('s1')}`]: 'present' })
    expect(sheet.status).toBe(409)
    expect(sheet.html).toContain('Attendance can be recorded once the trip has started')
  })

  it('counts a trip toward progress only once it has started, whatever rows exist', async () => {
    const before = await attended('s2')
    const tripId = await trip('Counted', minutesFromNow(-30), minutesFromNow(60))
    expect((await api('m1', 'PUT', `/api/v1/field-trips/${tripId}/attendance`, { entries: [{ studentUserId: id('s2'), status: 'present' }] })).status).toBe(200)
    expect(await attended('s2')).toBe(before + 1)

    // The trip moves into the future: the row stays, the count does not.
    expect((await api('m1', 'PATCH', `/api/v1/field-trips/${tripId}`, { startsAt: `${day(5)}T10:00`, endsAt: `${day(5)}T12:00` })).status).toBe(200)
    expect(await world.app.db.models.attendance.countDocuments({ fieldTripId: tripId, status: 'present' })).toBe(1)
    expect(await attended('s2')).toBe(before)
    // So says a rebuild from the source records.
    await world.app.progressReadModel.rebuild(world.people.m1?.courseId as string)
    expect(await attended('s2')).toBe(before)
  })

  it('counts a check-in made before the start once the start comes: the course table looks again then', async () => {
    const courseId = world.people.m1?.courseId as string
    const inTable = async (who: string): Promise<number> => (await world.app.progressReadModel.table(courseId)).get(id(who))?.line?.progress.fieldTripsAttended ?? 0
    const before = await inTable('s1')
    // The next whole minute at least 15 s away (the API takes minutes).
    const start = new Date(Math.ceil((Date.now() + 15_000) / 60_000) * 60_000)
    const tripId = await trip('Early birds', start.toISOString().slice(0, 16), minutesFromNow(120))
    await world.app.settled()
    const { code } = (await openCheckIn(tripId)).body
    expect((await api('s1', 'POST', '/api/v1/check-ins', { code })).status).toBe(200)
    expect(await inTable('s1')).toBe(before)
    await new Promise((resolve) => setTimeout(resolve, start.getTime() - Date.now() + 1000))
    expect(await inTable('s1')).toBe(before)
    // The notifier's minute tick finds the trip's start due and announces it.
    await world.app.notices.notifier.takeUpDue(new Date())
    await world.app.settled()
    expect(await inTable('s1')).toBe(before + 1)
  }, 120_000)

  it('takes a trip saved without an end to last two hours', async () => {
    const tripId = await trip('Old style', `${day(2)}T10:00`, `${day(2)}T11:00`)
    await world.app.db.models.fieldTrips.updateOne({ _id: tripId }, { $unset: { endsAt: 1 } })
    expect((await api('m1', 'GET', `/api/v1/field-trips/${tripId}`)).body.endsAt).toBe(`${day(2)}T12:00:00.000Z`)
  })
})
