import { createHash } from 'node:crypto'
import { Types } from 'mongoose'
import * as ical from 'node-ical'
import { redactUrl } from '../../src/http/logger'
import { apiAs, day, expectAccessible, followAs, formAs, pageAs, startWorld, type World } from '../activities/support'

/**
 * Calendars over HTTP against the real database: a trip's and a milestone's .ics (who may download them), the personal
 * feed (what each role's holds, that it leaks nothing of other people, that its link can be stopped and replaced) and
 * that the feed stops when its owner leaves the course. Every calendar is read back with node-ical.
 */
let world: World
let api: ReturnType<typeof apiAs>
let page: ReturnType<typeof pageAs>
let form: ReturnType<typeof formAs>
let follow: ReturnType<typeof followAs>
const trips: Record<string, string> = {}
const MILESTONES = [{ title: 'Midterm review', date: day(10) }, { title: 'Final presentations', date: day(40) }]

const parse = (text: string): ical.VEvent[] => Object.values(ical.sync.parseICS(text)).filter((c): c is ical.VEvent => c?.type === 'VEVENT')
const base = () => world.app.config.publicUrl
const person = (key: string) => world.people[key] as World['people'][string]

/** Downloads a path as a person (the session in the link, as the pages' links carry it). */
const download = async (who: string, path: string) => {
  const res = await fetch(`${base()}${path}?session=${encodeURIComponent(person(who).token)}`)
  return { status: res.status, type: res.headers.get('content-type'), cache: res.headers.get('cache-control'), text: await res.text() }
}
/** Makes a person's calendar link on the Calendar page and reads it off the page. */
const makeLink = async (who: string): Promise<string> => {
  const made = await form(who, '/calendar/link', {})
  expect(made.status).toBe(200)
  const url = /id="feed-url"[^>]*value="([^"]+)"/.exec(made.html)?.[1]
  if (url === undefined) throw new Error(`no calendar link on the page: ${made.html}`)
  return url.replaceAll('&#x3D;', '=').replaceAll('&amp;', '&')
}
const fetchFeed = async (url: string, headers: Record<string, string> = {}) => {
  const res = await fetch(url, { headers })
  return { status: res.status, type: res.headers.get('content-type'), cache: res.headers.get('cache-control'), etag: res.headers.get('etag'), text: await res.text() }
}
const titlesOf = (text: string) => parse(text).map((e) => e.summary).sort()

beforeAll(async () => {
  world = await startWorld()
  api = apiAs(world)
  page = pageAs(world)
  form = formAs(world)
  follow = followAs(world)
  expect((await api('instructor', 'PUT', '/api/v1/term', { milestones: MILESTONES })).status).toBe(200)
  const organise = async (who: string, title: string, place: string, description = '') => {
    const res = await api(who, 'POST', '/api/v1/field-trips', { title, startsAt: `${day(7)}T14:30`, endsAt: `${day(7)}T16:30`, place, description, capacity: 10 })
    expect(res.status).toBe(201)
    trips[title] = res.body.id as string
  }
  await organise('m1', 'Harbour visit', 'Hamburg, Pier 3', 'Bring your ID.')
  await organise('m2', 'Bank tour', 'Zurich')
  await organise('instructor', 'Parliament', 'Berlin')
  expect((await api('s2', 'PUT', `/api/v1/field-trips/${trips.Parliament ?? ''}/rsvp`, { answer: 'no' })).status).toBe(200)
})
afterAll(async () => { await world?.close() })

describe('downloads', () => {
  it('a trip\'s .ics has its time, place, uid, sequence and a link back, for anyone who may see the trip', async () => {
    const id = trips['Harbour visit'] ?? ''
    const res = await download('s1', `/field-trips/${id}/calendar.ics`)
    expect(res.status).toBe(200)
    expect(res.type).toMatch(/^text\/calendar/)
    expect(res.cache).toContain('no-store')
    const stored = await world.app.db.models.fieldTrips.findById(id).lean()
    const [event, ...more] = parse(res.text)
    expect(more).toHaveLength(0)
    expect(event).toMatchObject({ uid: `trip-${id}@mentorlink`, summary: 'Harbour visit', location: 'Hamburg, Pier 3', sequence: Math.floor((stored?.updatedAt.getTime() ?? 0) / 1000) })
    expect(event?.start.toISOString()).toBe(`${day(7)}T14:30:00.000Z`)
    expect(event?.end?.toISOString()).toBe(`${day(7)}T16:30:00.000Z`)
    expect(event?.description).toContain('Bring your ID.')
    expect(event?.description).toContain(`${base()}/go/${person('s1').courseId}/student?to=%2Fstudent%2Ffield-trips`)
    for (const who of ['s2', 'm1', 'instructor']) expect((await download(who, `/field-trips/${id}/calendar.ics`)).status).toBe(200)
  })

  it('refuses a trip to whoever may not see it', async () => {
    const id = trips['Harbour visit'] ?? ''
    // s3 is not invited; m2's mentee (s3) is not invited either; course B sees nothing of course A.
    for (const who of ['s3', 'm2', 'bStudent', 'bInstructor']) expect((await download(who, `/field-trips/${id}/calendar.ics`)).status).toBe(404)
    expect((await fetch(`${base()}/field-trips/${id}/calendar.ics`)).status).toBe(401)
  })

  it('a milestone\'s .ics is a whole day; moving it keeps its uid', async () => {
    const calendarPage = await page('s1', '/calendar')
    expect(calendarPage.status).toBe(200)
    const hrefs = [...calendarPage.html.matchAll(/href="(\/calendar\/milestones\/[^"?]+)/g)].map((m) => m[1] as string)
    expect(hrefs).toHaveLength(2)
    const first = parse((await download('s1', hrefs[0] as string)).text)[0]
    expect(first).toMatchObject({ summary: 'Milestone: Midterm review', datetype: 'date' })
    expect(first?.start.toISOString().slice(0, 10)).toBe(day(10))
    expect((await api('instructor', 'PUT', '/api/v1/term', { milestones: [{ ...MILESTONES[0], date: day(12) }, MILESTONES[1]] })).status).toBe(200)
    const moved = parse((await download('s1', hrefs[0] as string)).text)[0]
    expect(moved?.uid).toBe(first?.uid)
    expect(moved?.start.toISOString().slice(0, 10)).toBe(day(12))
    expect(Number(moved?.sequence)).toBeGreaterThanOrEqual(Number(first?.sequence))
    expect((await api('instructor', 'PUT', '/api/v1/term', { milestones: MILESTONES })).status).toBe(200)
    expect((await download('bStudent', hrefs[0] as string)).status).toBe(404)
    expect((await download('s1', '/calendar/milestones/0123456789abcdef/milestone.ics')).status).toBe(404)
  })

  it('the trip lists, trip page, home pages and Term page offer the downloads', async () => {
    expect((await page('s1', '/student/field-trips')).html).toContain(`/field-trips/${trips['Harbour visit'] ?? ''}/calendar.ics`)
    expect((await page('m1', `/field-trips/${trips['Harbour visit'] ?? ''}`)).html).toContain(`/field-trips/${trips['Harbour visit'] ?? ''}/calendar.ics`)
    for (const [who, home] of [['s1', '/student'], ['m1', '/mentor'], ['instructor', '/instructor']] as const) {
      const html = (await page(who, home)).html
      expect(html).toContain('Next milestones')
      expect(html).toMatch(/Midterm review <a href="\/calendar\/milestones\/[0-9a-f]{16}\/milestone\.ics\?session/)
    }
    const term = await page('instructor', '/instructor/term')
    expect(term.html).toContain('/calendar/milestones/')
    expectAccessible(term.html)
  })
})

describe('the personal feed', () => {
  it('each role\'s feed holds what that role sees, and the milestones', async () => {
    const milestones = ['Milestone: Final presentations', 'Milestone: Midterm review']
    expect(titlesOf((await fetchFeed(await makeLink('s1'))).text)).toEqual(['Harbour visit', ...milestones, 'Parliament'])
    // s2 said no to the Parliament trip.
    expect(titlesOf((await fetchFeed(await makeLink('s2'))).text)).toEqual(['Harbour visit', ...milestones])
    expect(titlesOf((await fetchFeed(await makeLink('m1'))).text)).toEqual(['Harbour visit', ...milestones, 'Parliament'])
    expect(titlesOf((await fetchFeed(await makeLink('m2'))).text)).toEqual(['Bank tour', ...milestones, 'Parliament'])
    expect(titlesOf((await fetchFeed(await makeLink('instructor'))).text)).toEqual(['Bank tour', 'Harbour visit', ...milestones, 'Parliament'])
    expect(titlesOf((await fetchFeed(await makeLink('bStudent'))).text)).toEqual([])
  })

  it('is a read-only calendar without a session, cached privately, answered 304 when unchanged', async () => {
    await form('s3', '/calendar/link/stop', {})
    const url = await makeLink('s3')
    expect(url).toMatch(new RegExp(`^${base()}/calendar/feed\\.ics\\?token=[A-Za-z0-9_-]{43}$`))
    const feed = await fetchFeed(url)
    expect(feed.status).toBe(200)
    expect(feed.type).toMatch(/^text\/calendar/)
    expect(feed.cache).toMatch(/^private/)
    expect(feed.text).toContain('X-WR-CALNAME:Mentorlink: Course A')
    const events = parse(feed.text)
    expect(events.find((e) => e.summary === 'Parliament')?.location).toBe('Berlin')
    expect((await fetchFeed(url, { 'if-none-match': feed.etag ?? '' })).status).toBe(304)
    const post = await fetch(url, { method: 'POST' })
    expect(post.status).toBe(405)
    expect(post.headers.get('allow')).toBe('GET, HEAD')
  })

  it('leaks nothing of other people', async () => {
    await form('s1', '/calendar/link/stop', {})
    const text = (await fetchFeed(await makeLink('s1'))).text
    for (const other of ['s2', 's3']) {
      const { name, userId } = person(other)
      for (const word of [...name.split(' '), userId, `${other}@example.edu`]) expect(text).not.toContain(word)
    }
    expect(text).not.toContain('Bank tour')
    expect(text).not.toContain('Zurich')
    expect(text).not.toMatch(/ATTENDEE|ORGANIZER/)
    // Nobody's answer shows: s2's "no" to the Parliament trip is not in s1's feed (the trip is, as s1 sees it).
    expect(text).not.toMatch(/declin|not coming/i)
  })

  it('is stored only as a hash, and shown only once', async () => {
    await form('m2', '/calendar/link/stop', {})
    const url = await makeLink('m2')
    const token = new URL(url).searchParams.get('token') ?? ''
    const stored = await world.app.db.models.calendarFeeds.find({ userId: new Types.ObjectId(person('m2').userId) }).lean()
    expect(stored.map((s) => s._id)).toEqual([createHash('sha256').update(token).digest('hex')])
    expect(JSON.stringify(stored)).not.toContain(token)
    // Nor does a log line of the feed's requests hold it.
    expect(redactUrl(new URL(url).pathname + new URL(url).search)).not.toContain(token)
    const later = await page('m2', '/calendar')
    expect(later.html).not.toContain(token)
    expect(later.html).toContain('You made your calendar link on')
    expectAccessible(later.html)
  })

  it('a stopped link answers 404; a new one works; a second link while one exists is refused', async () => {
    await form('s2', '/calendar/link/stop', {})
    const old = await makeLink('s2')
    const again = await form('s2', '/calendar/link', {})
    expect(again.status).toBe(409)
    expect(again.html).toContain('You already have a calendar link')
    const stopped = await form('s2', '/calendar/link/stop', {})
    expect(stopped.status).toBe(303)
    const after = await follow('s2', stopped.location)
    expect(after.html).toContain('Your calendar link is stopped')
    expect(after.html).toContain('Make my calendar link')
    expect((await fetchFeed(old)).status).toBe(404)
    const fresh = await makeLink('s2')
    expect(fresh).not.toBe(old)
    expect((await fetchFeed(fresh)).status).toBe(200)
    expect((await fetchFeed(old)).status).toBe(404)
  })

  it('two clicks at once make one link', async () => {
    await form('bInstructor', '/calendar/link/stop', {})
    const answers = await Promise.all([form('bInstructor', '/calendar/link', {}), form('bInstructor', '/calendar/link', {})])
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409])
    expect(await world.app.db.models.calendarFeeds.countDocuments({ userId: new Types.ObjectId(person('bInstructor').userId) })).toBe(1)
  })

  it('refuses tokens it did not make, and a token serves its own person and course only', async () => {
    expect((await fetch(`${base()}/calendar/feed.ics?token=${'A'.repeat(43)}`)).status).toBe(404)
    expect((await fetch(`${base()}/calendar/feed.ics?token=short`)).status).toBe(400)
    expect((await fetch(`${base()}/calendar/feed.ics`)).status).toBe(400)
    await form('bMentor', '/calendar/link/stop', {})
    const other = (await fetchFeed(await makeLink('bMentor'))).text
    expect(other).toContain('X-WR-CALNAME:Mentorlink: Course B')
    for (const word of ['Harbour', 'Parliament', 'Midterm', person('s1').courseId]) expect(other).not.toContain(word)
  })

  it('stops when its owner leaves the course', async () => {
    await form('s3', '/calendar/link/stop', {})
    const url = await makeLink('s3')
    expect((await fetchFeed(url)).status).toBe(200)
    const where = { courseId: new Types.ObjectId(person('s3').courseId), userId: new Types.ObjectId(person('s3').userId) }
    await world.app.db.models.memberships.updateOne(where, { $set: { status: 'dropped' } })
    expect((await fetchFeed(url)).status).toBe(404)
    await world.app.db.models.memberships.updateOne(where, { $set: { status: 'active' } })
    expect((await fetchFeed(url)).status).toBe(200)
  })

  it('an external mentor\'s feed (no LMS membership) lasts while they are an active mentor of the pool', async () => {
    const course = await world.app.db.models.courses.findById(person('m1').courseId).lean()
    const userId = new Types.ObjectId()
    const mentor = await world.app.db.models.mentors.create({ poolId: course?.poolId, name: 'Erika External', email: 'erika@example.com', capacity: 2, source: 'external', userId })
    const token = 'E'.repeat(43)
    await world.app.db.models.calendarFeeds.create({ _id: createHash('sha256').update(token).digest('hex'), courseId: course?._id, userId, role: 'mentor', createdAt: new Date() })
    const url = `${base()}/calendar/feed.ics?token=${token}`
    expect(titlesOf((await fetchFeed(url)).text)).toEqual(['Milestone: Final presentations', 'Milestone: Midterm review'])
    await world.app.db.models.mentors.updateOne({ _id: mentor._id }, { $set: { active: false } })
    expect((await fetchFeed(url)).status).toBe(404)
  })
})

describe('the Calendar page', () => {
  it('is in every role\'s navigation, explains subscribing in plain words, and is accessible', async () => {
    for (const who of ['s1', 'm1', 'instructor']) {
      const res = await page(who, '/calendar')
      expect(res.status).toBe(200)
      expect(res.html).toMatch(/<a href="\/calendar\?session[^"]*" aria-current="page">Calendar<\/a>/)
      for (const app of ['Google Calendar', 'Outlook', 'Apple Calendar']) expect(res.html).toContain(app)
      expectAccessible(res.html)
    }
  })
})
