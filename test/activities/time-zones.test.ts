import { apiAs, formAs, pageAs, startWorld, type World } from './support'

/**
 * Times as people live them. Course A runs 1 Mar – 30 Apr 2027, across both daylight-saving changes of the spring:
 * Toronto moves its clocks on 14 March, Berlin on 28 March, Kolkata never. The LMS gives each person's zone through
 * the custom parameter timezone=$Person.address.timezone, except for S2, whose browser tells it.
 */
let world: World
let api: ReturnType<typeof apiAs>
let page: ReturnType<typeof pageAs>
let form: ReturnType<typeof formAs>

beforeAll(async () => {
  world = await startWorld({
    customA: { term_start: '2027-03-01', term_end: '2027-04-30', timezone: '$Person.address.timezone' },
    timeZones: { instructor: 'Europe/Berlin', m1: 'America/Toronto', s1: 'Asia/Kolkata' }
  })
  api = apiAs(world)
  page = pageAs(world)
  form = formAs(world)
})
afterAll(async () => { await world?.close() })

/** The trip's line on a person's field-trip list, tags stripped. */
async function tripLine (who: string, title: string): Promise<string> {
  const list = await page(who, `/${who.startsWith('s') ? 'student' : who.startsWith('m') ? 'mentor' : 'instructor'}/field-trips`)
  expect(list.status).toBe(200)
  const text = list.html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ')
  const at = text.indexOf(title)
  expect(at).toBeGreaterThan(-1)
  return text.slice(at, at + 220)
}

describe('each person sees times in their own zone, named on the page', () => {
  it('takes the zone from the launch and says so', async () => {
    const me = await api('s1', 'GET', '/api/v1/me')
    expect(me.body.timeZone).toEqual({ zone: 'Asia/Kolkata', from: 'launch' })
    const home = await page('m1', '/mentor')
    expect(home.html).toContain('Times in <strong>Toronto (America)</strong>')
    expect(home.html).toContain('as your LMS gives it')
  })

  it('shows one trip at the place\'s time and each viewer\'s own beside it, before, between and after the spring changes', async () => {
    // 18:00 in Berlin is 17:00 UTC on winter time (9 and 20 March) and 16:00 UTC on summer time (3 April).
    const trips = [
      { title: 'Before Toronto changes', day: '2027-03-09', utc: '2027-03-09T17:00:00.000Z', toronto: '12:00', kolkata: '22:30' },
      { title: 'Between the changes', day: '2027-03-20', utc: '2027-03-20T17:00:00.000Z', toronto: '13:00', kolkata: '22:30' },
      { title: 'After Berlin changes', day: '2027-04-03', utc: '2027-04-03T16:00:00.000Z', toronto: '12:00', kolkata: '21:30' }
    ]
    for (const t of trips) {
      const res = await api('m1', 'POST', '/api/v1/field-trips', {
        title: t.title, startsAt: `${t.day}T18:00`, endsAt: `${t.day}T20:00`, timeZone: 'Europe/Berlin', place: 'Berlin, Potsdamer Platz', capacity: 5
      })
      expect(res.status).toBe(201)
      expect(res.body).toMatchObject({ startsAt: t.utc, timeZone: 'Europe/Berlin' })
    }
    for (const t of trips) {
      const date = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${t.day}T00:00:00Z`)).replace(',', '')
      const there = `${date}, 18:00 Berlin time`
      expect(await tripLine('s1', t.title)).toContain(`${there} (${t.kolkata} Kolkata time)`)
      expect(await tripLine('m1', t.title)).toContain(`${there} (${t.toronto} Toronto time)`)
      const instructorLine = await tripLine('instructor', t.title)
      expect(instructorLine).toContain(there)
      expect(instructorLine).not.toContain(`${there} (`)
    }
  })

  it('edits a trip in the place\'s own time, and keeps its hour when only the zone is corrected', async () => {
    const created = await api('m1', 'POST', '/api/v1/field-trips', {
      title: 'Mumbai exchange', startsAt: '2027-03-25T10:00', endsAt: '2027-03-25T12:00', timeZone: 'Europe/Berlin', place: 'Mumbai', capacity: 5
    })
    const edit = await page('m1', `/field-trips/${created.body.id as string}/edit`)
    expect(edit.html).toContain('value="2027-03-25T10:00"')
    expect(edit.html).toContain('<option value="Europe/Berlin" selected>')
    const moved = await api('m1', 'PATCH', `/api/v1/field-trips/${created.body.id as string}`, { timeZone: 'Asia/Kolkata' })
    expect(moved.status).toBe(200)
    expect(moved.body).toMatchObject({ startsAt: '2027-03-25T04:30:00.000Z', endsAt: '2027-03-25T06:30:00.000Z', timeZone: 'Asia/Kolkata' })
  })

  it('refuses a time the clocks skip where the trip happens, and an ISO time with an offset is taken as it is', async () => {
    const skipped = await api('m1', 'POST', '/api/v1/field-trips', {
      title: 'Night walk', startsAt: '2027-03-28T02:30', endsAt: '2027-03-28T04:00', timeZone: 'Europe/Berlin', place: 'Berlin', capacity: 5
    })
    expect(skipped.status).toBe(400)
    expect(skipped.body.message).toBe('startsAt: does not exist in Berlin (Europe): the clocks go forward at that hour that night; choose another time')
    const offset = await api('m1', 'POST', '/api/v1/field-trips', {
      title: 'Offset given', startsAt: '2027-03-28T02:30+02:00', endsAt: '2027-03-28T04:00+02:00', timeZone: 'Europe/Berlin', place: 'Berlin', capacity: 5
    })
    expect(offset.status).toBe(201)
    expect(offset.body.startsAt).toBe('2027-03-28T00:30:00.000Z')
    const unknown = await api('m1', 'POST', '/api/v1/field-trips', {
      title: 'Nowhere', startsAt: '2027-03-10T10:00', endsAt: '2027-03-10T11:00', timeZone: 'Mars/Olympus', place: 'Mars', capacity: 5
    })
    expect(unknown.status).toBe(400)
    expect(unknown.body.message).toContain('timeZone: must be a time zone such as Europe/Berlin')
  })

  it('uses the browser\'s zone for a person the LMS gives none, else the course\'s, else the institution\'s', async () => {
    expect((await api('s2', 'GET', '/api/v1/me')).body.timeZone).toEqual({ zone: 'UTC', from: 'institution' })
    const term = await api('instructor', 'PUT', '/api/v1/term', { timeZone: 'Europe/Lisbon', milestones: [] })
    expect(term.status).toBe(200)
    expect((await api('s2', 'GET', '/api/v1/me')).body.timeZone).toEqual({ zone: 'Europe/Lisbon', from: 'course' })
    expect((await api('s2', 'POST', '/api/v1/me/time-zone', { timeZone: 'Nowhere/Else' })).status).toBe(400)
    expect((await api('s2', 'POST', '/api/v1/me/time-zone', { timeZone: 'America/Sao_Paulo' })).status).toBe(204)
    expect((await api('s2', 'GET', '/api/v1/me')).body.timeZone).toEqual({ zone: 'America/Sao_Paulo', from: 'browser' })
    // The LMS's word wins over a browser's.
    expect((await api('s1', 'POST', '/api/v1/me/time-zone', { timeZone: 'America/Sao_Paulo' })).status).toBe(204)
    expect((await api('s1', 'GET', '/api/v1/me')).body.timeZone).toEqual({ zone: 'Asia/Kolkata', from: 'launch' })
  })
})

describe('dates that fit the term, in plain words', () => {
  it('names which milestone is wrong and why', async () => {
    const res = await api('instructor', 'PUT', '/api/v1/term', {
      milestones: [{ title: '', date: '2027-03-10' }, { title: 'Mid-term review', date: '2027-06-01' }, { title: 'Final', date: '31/04/2027' }]
    })
    expect(res.status).toBe(400)
    expect(res.body.message).toContain('Milestone 1: the title is required')
    expect(res.body.message).toContain('Milestone 3: the date must be a date as YYYY-MM-DD')
    const later = await api('instructor', 'PUT', '/api/v1/term', { milestones: [{ title: 'Mid-term review', date: '2027-06-01' }] })
    expect(later.status).toBe(400)
    expect(later.body.message).toContain('Milestone 1: the date must fall between 1 Mar and 30 Apr 2027 (the term)')
  })

  it('the Term page lists the problems in the form\'s words, each linked to its field', async () => {
    const res = await form('instructor', '/instructor/term', { timeZone: 'Europe/Berlin', milestoneTitle: ['', 'Kick-off'], milestoneDate: ['2027-03-10', '2027-05-20'] })
    expect(res.status).toBe(400)
    expect(res.html).toContain('<a href="#milestone-title-1">Milestone 1: the title is required</a>')
    expect(res.html).toMatch(/id="error-milestone-title-1"[^>]*>.*Milestone 1: the title is required/)
    // One save shows every problem: the date outside the term too, although the missing title stopped the rest.
    expect(res.html).toContain('<a href="#milestone-date-2">Milestone 2: the date must fall between 1 Mar and 30 Apr 2027 (the term)</a>')
    expect(res.html).not.toContain('milestones.0')
    expect(res.html).toContain('Times in <strong>Berlin (Europe)</strong>')
  })

  it('trip forms open inside the term and refuse a start outside it', async () => {
    const blank = await page('m1', '/field-trips/new')
    expect(blank.html).toMatch(/name="startsAt"[^>]*min="2027-03-01T00:00"[^>]*max="2027-04-30T23:59"|min="2027-03-01T00:00"[^>]*max="2027-04-30T23:59"[^>]*name="startsAt"/)
    const outside = await api('m1', 'POST', '/api/v1/field-trips', {
      title: 'Summer', startsAt: '2027-06-10T10:00', endsAt: '2027-06-10T12:00', timeZone: 'Europe/Berlin', place: 'Berlin', capacity: 5
    })
    expect(outside.status).toBe(400)
    expect(outside.body.message).toBe('startsAt: must fall between 1 Mar and 30 Apr 2027 (the term)')
  })
})
