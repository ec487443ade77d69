import { randomBytes } from 'node:crypto'
import { Types } from 'mongoose'
import type { DomainEvent } from '../../src/domain/events/domain-events'
import { createRsvpRepository } from '../../src/persistence/repositories/rsvp.repository'
import { getMessage, waitForMessages } from '../helpers/mailpit'
import { apiAs, day, expectAccessible, formAs, pageAs, startWorld, type World } from './support'

/**
 * Trips open to every student of the course: a mentor reaches beyond their mentees, a yes to a full trip joins a
 * waitlist, and a seat given back goes to the student waiting longest, once, even when seats are given back at once.
 */
let world: World
let api: ReturnType<typeof apiAs>
let page: ReturnType<typeof pageAs>
let form: ReturnType<typeof formAs>
const promotions: DomainEvent[] = []
const id = (key: string) => world.people[key]?.userId as string
const tag = randomBytes(3).toString('hex')

beforeAll(async () => {
  world = await startWorld()
  api = apiAs(world)
  page = pageAs(world)
  form = formAs(world)
  world.app.events.subscribe(['WaitlistPromoted'], (event) => { promotions.push(event) })
})
afterAll(async () => { await world?.close() })

const openTrip = async (title: string, capacity: number, who = 'm2') => {
  const res = await api(who, 'POST', '/api/v1/field-trips', { title, startsAt: `${day(6)}T10:00`, endsAt: `${day(6)}T13:00`, place: 'Hamburg', capacity, openToCourse: true })
  expect(res.status).toBe(201)
  return res.body
}
const answer = async (who: string, tripId: string, value: 'yes' | 'no') => await api(who, 'PUT', `/api/v1/field-trips/${tripId}/rsvp`, { answer: value })
const stateOf = (body: { rsvps: Array<{ studentUserId: string, answer: string, waitlistPlace: number | null }> }, who: string) =>
  body.rsvps.find((r) => r.studentUserId === id(who))
const promotedOn = (tripId: string) => promotions.filter((e) => e.type === 'WaitlistPromoted' && e.tripId === tripId).map((e) => (e as { studentUserId: string }).studentUserId)

describe('a trip open to the course', () => {
  it('invites every student, whoever organises it; a list of invitees is refused with it', async () => {
    const trip = await openTrip(`Open ${tag}`, 5)
    expect(trip.openToCourse).toBe(true)
    // M2 mentors S3 only, yet every student of course A is invited.
    expect(new Set(trip.invitedUserIds)).toEqual(new Set([id('s1'), id('s2'), id('s3')]))
    const both = await api('m2', 'POST', '/api/v1/field-trips', { title: 'T', startsAt: `${day(6)}T10:00`, endsAt: `${day(6)}T11:00`, place: 'P', capacity: 5, openToCourse: true, invitedUserIds: [id('s3')] })
    expect(both.status).toBe(400)
    expect(both.body.message).toContain('invitedUserIds: must be left out when the trip is open to every student of the course')
    // Students of M1 see it and may answer; M1 sees their own mentees on it, nobody else.
    expect((await api('s1', 'GET', '/api/v1/field-trips')).body.map((t: { title: string }) => t.title)).toContain(`Open ${tag}`)
    const seenByM1 = (await api('m1', 'GET', `/api/v1/field-trips/${trip.id as string}`)).body
    expect(new Set(seenByM1.invitedUserIds)).toEqual(new Set([id('s1'), id('s2')]))
    expect(seenByM1.managed).toBe(false)
    expect((await api('bStudent', 'GET', `/api/v1/field-trips/${trip.id as string}`)).status).toBe(404)
  })

  it('is organised through the form by ticking the box; the list of invitees is then ignored', async () => {
    const newForm = await page('m2', '/field-trips/new')
    expect(newForm.html).toContain('Open to every student of the course')
    expectAccessible(newForm.html)
    const created = await form('m2', '/field-trips', {
      title: `Form ${tag}`, startsAt: `${day(6)}T10:00`, endsAt: `${day(6)}T12:00`, place: 'Bonn', description: '', capacity: '2', openToCourse: 'yes', invitedUserIds: [id('s3')]
    })
    expect(created.status).toBe(303)
    const tripId = /\/field-trips\/([0-9a-f]{24})/.exec(created.location ?? '')?.[1] as string
    const trip = (await api('m2', 'GET', `/api/v1/field-trips/${tripId}`)).body
    expect(trip.openToCourse).toBe(true)
    expect(new Set(trip.invitedUserIds)).toEqual(new Set([id('s1'), id('s2'), id('s3')]))
    expect((await page('m2', `/field-trips/${tripId}/edit`)).html).toMatch(/value="yes" checked/)
    const list = await page('s1', '/student/field-trips')
    expect(list.html).toContain(`Form ${tag}`)
    expect(list.html).toContain('open to every student of the course')
  })

  it('puts a yes beyond the capacity on a waitlist and promotes the next student when a seat is given back, telling them', async () => {
    const title = `Waitlist ${tag}`
    const trip = await openTrip(title, 1)
    const tripId = trip.id as string
    expect((await answer('s1', tripId, 'yes')).body.seatsTaken).toBe(1)
    const second = await answer('s2', tripId, 'yes')
    expect(second.status).toBe(200)
    expect(stateOf(second.body, 's2')).toEqual({ studentUserId: id('s2'), answer: 'waiting', waitlistPlace: 1 })
    // A student sees only their own answer: S3 is second in line.
    const third = await form('s3', `/field-trips/${tripId}/rsvp`, { answer: 'yes' })
    expect(third.status).toBe(303)
    expect(third.location).toContain('notice=rsvp-waiting')
    expect(third.location).toContain('n=2')
    const s3Page = await page('s3', '/student/field-trips')
    expect(s3Page.html).toContain('you are on its waitlist: number 2')
    expectAccessible(s3Page.html)

    // M1 sees which of their mentees are coming and waiting.
    const m1Page = await page('m1', '/mentor/field-trips')
    expect(m1Page.html).toContain('Lucia Ferreira: Coming')
    expect(m1Page.html).toContain('Tomasz Nowak: On the waitlist (number 1)')
    expect(m1Page.html).not.toContain('Priya Raman')

    // S1 gives the seat back: S2 gets it, is told in the app and by email; S3 moves up.
    const freed = await answer('s1', tripId, 'no')
    expect(freed.status).toBe(200)
    expect(freed.body.rsvps).toEqual([{ studentUserId: id('s1'), answer: 'no', waitlistPlace: null }])
    const seen = (await api('m2', 'GET', `/api/v1/field-trips/${tripId}`)).body
    expect(stateOf(seen, 's2')?.answer).toBe('yes')
    expect(stateOf(seen, 's3')).toMatchObject({ answer: 'waiting', waitlistPlace: 1 })
    expect(seen.seatsTaken).toBe(1)
    expect(promotedOn(tripId)).toEqual([id('s2')])
    const trail = (await api('instructor', 'GET', `/api/v1/audit?entity=field-trip&entityId=${tripId}`)).body
    expect(trail.filter((e: { action: string }) => e.action === 'waitlist-promoted')).toMatchObject([{ after: { studentUserId: id('s2'), answer: 'yes' } }])
    await world.app.settled()
    const [letter] = await waitForMessages(`to:s2@example.edu subject:"A seat for you: ${title}"`)
    expect((await getMessage(letter?.ID ?? '')).Text).toContain('you were next on the waitlist')
    const notices = await page('s2', '/notifications')
    expect(notices.html).toContain(`A seat for you: ${title}`)
    expect((await page('s3', '/notifications')).html).not.toContain(`A seat for you: ${title}`)

    // A higher capacity gives the new seat to S3.
    expect((await api('m2', 'PATCH', `/api/v1/field-trips/${tripId}`, { capacity: 2 })).status).toBe(200)
    expect(promotedOn(tripId)).toEqual([id('s2'), id('s3')])
    expect(await world.app.db.models.rsvps.countDocuments({ fieldTripId: tripId, answer: 'yes' })).toBe(2)
  })

  it('a student taken off the trip gives their seat to the waitlist', async () => {
    const trip = await openTrip(`Removal ${tag}`, 1, 'instructor')
    const tripId = trip.id as string
    await answer('s3', tripId, 'yes')
    await answer('s1', tripId, 'yes')
    expect((await api('instructor', 'PATCH', `/api/v1/field-trips/${tripId}`, { openToCourse: false, invitedUserIds: [id('s1'), id('s2')] })).status).toBe(200)
    expect(promotedOn(tripId)).toEqual([id('s1')])
    expect(await world.app.db.models.rsvps.countDocuments({ fieldTripId: tripId, answer: 'yes' })).toBe(1)
  })

  it('two seats given back at once promote the one waiting student once, and answers at once keep the capacity', async () => {
    const trip = await openTrip(`Race ${tag}`, 2)
    const tripId = trip.id as string
    const yeses = await Promise.all(['s1', 's2', 's3'].map(async (s) => await answer(s, tripId, 'yes')))
    expect(yeses.map((r) => r.status)).toEqual([200, 200, 200])
    expect(await world.app.db.models.rsvps.countDocuments({ fieldTripId: tripId, answer: 'yes' })).toBe(2)
    const waiting = (await world.app.db.models.rsvps.findOne({ fieldTripId: tripId, answer: 'waiting' }).lean())?.studentUserId
    const seated = ['s1', 's2', 's3'].filter((s) => id(s) !== String(waiting))

    const released = await Promise.all(seated.map(async (s) => await answer(s, tripId, 'no')))
    expect(released.map((r) => r.status)).toEqual([200, 200])
    expect(promotedOn(tripId)).toEqual([String(waiting)])
    expect(await world.app.db.models.rsvps.countDocuments({ fieldTripId: tripId, answer: 'yes' })).toBe(1)
    expect(await world.app.db.models.rsvps.countDocuments({ fieldTripId: tripId, answer: 'waiting' })).toBe(0)
  })
})

describe('seats and the waitlist in the database', () => {
  it('never seat more students than the capacity, nor promote one twice, however many answer and give back at once', async () => {
    const repo = createRsvpRepository(world.app.db.models)
    const trip = { _id: String(new Types.ObjectId()), courseId: String(new Types.ObjectId()), capacity: 3, openToCourse: true }
    const students = Array.from({ length: 10 }, () => String(new Types.ObjectId()))
    const at = () => new Date()
    const outcomes = await Promise.all(students.map(async (s) => await repo.answer(trip, s, 'yes', at())))
    expect(outcomes.filter((o) => o === 'saved')).toHaveLength(3)
    expect(outcomes.filter((o) => o === 'waiting')).toHaveLength(7)

    const rows = await repo.ofTrip(trip._id)
    const holders = rows.filter((r) => r.answer === 'yes').map((r) => r.studentUserId)
    // Every holder gives their seat back while three more promoters run alongside.
    const promoted = (await Promise.all([
      ...holders.map(async (s) => { await repo.answer(trip, s, 'no', at()); return await repo.promoteWaiting(trip, at()) }),
      ...Array.from({ length: 3 }, async () => await repo.promoteWaiting(trip, at()))
    ])).flat()
    expect(promoted).toHaveLength(3)
    expect(new Set(promoted).size).toBe(3)
    const after = await repo.ofTrip(trip._id)
    expect(after.filter((r) => r.answer === 'yes').map((r) => r.studentUserId).sort()).toEqual([...promoted].sort())
    expect(after.filter((r) => r.answer === 'waiting')).toHaveLength(4)
    // Nothing left to give: another promoter seats nobody.
    expect(await repo.promoteWaiting(trip, at())).toEqual([])
  })
})
