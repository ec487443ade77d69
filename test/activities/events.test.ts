import type { DomainEvent, DomainEventType } from '../../src/domain/events/domain-events'
import { apiAs, day, minutesFromNow, startWorld, type World } from './support'

let world: World
let api: ReturnType<typeof apiAs>
let seen: DomainEvent[] = []
const id = (key: string) => world.people[key]?.userId as string
const TYPES: DomainEventType[] = [
  'RecordCreated', 'RecordChanged', 'RecordRemoved', 'ActivityVerified', 'ActivityReturned', 'GoalProgressed',
  'TripPublished', 'TripChanged', 'TripCancelled', 'RsvpChanged', 'AttendanceMarked', 'CheckedIn'
]

beforeAll(async () => {
  world = await startWorld()
  api = apiAs(world)
  world.app.events.subscribe(TYPES, (event) => { seen.push(event) })
})
afterAll(async () => { await world?.close() })

/** The events published while `act` ran; the API answers only after its subscribers have taken note. */
async function published (act: () => Promise<unknown>): Promise<DomainEvent[]> {
  seen = []
  await act()
  return seen
}

/** Calls the API and fails unless the answer has the expected status; the body, for ids. */
async function ok (status: number, who: string, method: string, path: string, body?: unknown) {
  const res = await api(who, method, path, body)
  expect(res.status).toBe(status)
  return res.body
}

describe('the student record', () => {
  const course = () => world.people.s1?.courseId as string
  const cases = [
    { kind: 'activity', path: '/api/v1/activities', create: { kind: 'session', date: day(-3), durationMinutes: 45, topics: [] }, patch: { kind: 'session', notes: 'more' } },
    { kind: 'goal', path: '/api/v1/goals', create: { horizon: 'short', text: 'Negotiate a raise', targetDate: day(30) }, patch: { text: 'Negotiate a bigger raise' } },
    { kind: 'reflection', path: '/api/v1/reflections', create: { date: day(-1), text: 'Learnt a lot' }, patch: { text: 'Learnt even more' } },
    { kind: 'contact', path: '/api/v1/contacts', create: { name: 'Ada Board' }, patch: { role: 'Chair' } }
  ] as const

  it.each(cases)('creating, changing and deleting a $kind publishes RecordCreated, RecordChanged and RecordRemoved', async ({ kind, path, create, patch }) => {
    let recordId = ''
    const created = await published(async () => { recordId = (await ok(201, 's1', 'POST', path, create)).id })
    const about = { courseId: course(), studentUserId: id('s1'), kind, recordId, byUserId: id('s1') }
    expect(created).toEqual([{ type: 'RecordCreated', ...about }])
    expect(await published(async () => await ok(200, 's1', 'PATCH', `${path}/${recordId}`, patch))).toEqual([{ type: 'RecordChanged', ...about }])
    expect(await published(async () => await ok(204, 's1', 'DELETE', `${path}/${recordId}`))).toEqual([{ type: 'RecordRemoved', ...about }])
  })

  it('a refused change publishes nothing', async () => {
    expect(await published(async () => await ok(403, 's1', 'POST', '/api/v1/activities', { kind: 'coaching', date: day(-1), skill: 'negotiation', practised: 'x' }))).toEqual([])
  })

  it('a mentor\'s record of a mentee\'s activity names the mentor as the one who made it', async () => {
    let recordId = ''
    const events = await published(async () => {
      recordId = (await ok(201, 'm1', 'POST', '/api/v1/activities', { kind: 'coaching', studentUserId: id('s2'), date: day(-1), skill: 'persuasion', practised: 'Pitch' })).id
    })
    expect(events).toEqual([{ type: 'RecordCreated', courseId: course(), studentUserId: id('s2'), kind: 'activity', recordId, byUserId: id('m1') }])
  })

  it('verifying and returning an activity publish ActivityVerified and ActivityReturned', async () => {
    const a = (await ok(201, 's1', 'POST', '/api/v1/activities', { kind: 'session', date: day(-2), durationMinutes: 30, topics: [] })).id
    const b = (await ok(201, 's1', 'POST', '/api/v1/activities', { kind: 'meeting', date: day(-2), organisation: 'Acme', reflection: 'Sharp' })).id
    const about = (recordId: string) => ({ courseId: course(), studentUserId: id('s1'), recordId, byUserId: id('m1') })
    expect(await published(async () => await ok(200, 'm1', 'POST', `/api/v1/verifications/${a as string}`, { decision: 'approve' })))
      .toEqual([{ type: 'ActivityVerified', ...about(a) }])
    expect(await published(async () => await ok(200, 'm1', 'POST', `/api/v1/verifications/${b as string}`, { decision: 'reject', comment: 'Which meeting?' })))
      .toEqual([{ type: 'ActivityReturned', ...about(b) }])
    expect(await published(async () => await ok(409, 'm1', 'POST', `/api/v1/verifications/${a as string}`, { decision: 'approve' }))).toEqual([])
  })

  it('a progress note on a goal publishes GoalProgressed', async () => {
    const goal = (await ok(201, 'm1', 'POST', '/api/v1/goals', { studentUserId: id('s2'), horizon: 'long', text: 'Lead a team', targetDate: day(50) })).id
    expect(await published(async () => await ok(200, 's2', 'POST', `/api/v1/goals/${goal as string}/progress`, { date: day(0), note: 'Started', status: 'in-progress' })))
      .toEqual([{ type: 'GoalProgressed', courseId: course(), studentUserId: id('s2'), recordId: goal, byUserId: id('s2') }])
  })
})

describe('field trips', () => {
  const course = () => world.people.m1?.courseId as string
  const newTrip = async (extra: Record<string, unknown> = {}) =>
    await ok(201, 'm1', 'POST', '/api/v1/field-trips', { title: 'Stock exchange', startsAt: `${day(7)}T14:30`, endsAt: `${day(7)}T17:00`, place: 'Frankfurt', capacity: 10, ...extra })

  it('organising, changing and cancelling a trip publish TripPublished, TripChanged (with who was uninvited) and TripCancelled', async () => {
    let tripId = ''
    const created = await published(async () => { tripId = (await newTrip()).id })
    expect(created).toEqual([{ type: 'TripPublished', courseId: course(), tripId, invitedUserIds: expect.arrayContaining([id('s1'), id('s2')]) }])
    expect((created[0] as { invitedUserIds: string[] }).invitedUserIds).toHaveLength(2)
    expect(await published(async () => await ok(200, 'm1', 'PATCH', `/api/v1/field-trips/${tripId}`, { invitedUserIds: [id('s1')] })))
      .toEqual([{ type: 'TripChanged', courseId: course(), tripId, invitedUserIds: [id('s1')], uninvitedUserIds: [id('s2')] }])
    expect(await published(async () => await ok(200, 'm1', 'PATCH', `/api/v1/field-trips/${tripId}`, { place: 'Paris' })))
      .toEqual([{ type: 'TripChanged', courseId: course(), tripId, invitedUserIds: [id('s1')], uninvitedUserIds: [] }])
    expect(await published(async () => await ok(204, 'm1', 'DELETE', `/api/v1/field-trips/${tripId}`)))
      .toEqual([{ type: 'TripCancelled', courseId: course(), tripId, invitedUserIds: [id('s1')] }])
  })

  it('an RSVP publishes RsvpChanged; attendance publishes AttendanceMarked for the students marked', async () => {
    const tripId: string = (await newTrip({ title: 'Parliament' })).id
    expect(await published(async () => await ok(200, 's2', 'PUT', `/api/v1/field-trips/${tripId}/rsvp`, { answer: 'yes' })))
      .toEqual([{ type: 'RsvpChanged', courseId: course(), tripId, studentUserId: id('s2') }])
    // Attendance is kept once the trip has started.
    await ok(200, 'm1', 'PATCH', `/api/v1/field-trips/${tripId}`, { startsAt: minutesFromNow(-15) })
    const sheet = { entries: [{ studentUserId: id('s1'), status: 'present' }, { studentUserId: id('s2'), status: 'absent' }] }
    expect(await published(async () => await ok(200, 'm1', 'PUT', `/api/v1/field-trips/${tripId}/attendance`, sheet)))
      .toEqual([{ type: 'AttendanceMarked', courseId: course(), tripId, studentUserIds: [id('s1'), id('s2')] }])
  })

  it('a check-in publishes CheckedIn once; checking in again publishes nothing', async () => {
    const tripId: string = (await newTrip({ title: 'Factory', startsAt: minutesFromNow(30), endsAt: minutesFromNow(150) })).id
    const { code } = await ok(201, 'm1', 'POST', `/api/v1/field-trips/${tripId}/check-ins`, { minutes: 15 })
    expect(await published(async () => await ok(200, 's1', 'POST', '/api/v1/check-ins', { code })))
      .toEqual([{ type: 'CheckedIn', courseId: course(), tripId, studentUserId: id('s1') }])
    expect(await published(async () => await ok(200, 's1', 'POST', '/api/v1/check-ins', { code }))).toEqual([])
  })
})
