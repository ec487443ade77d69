import { randomBytes } from 'node:crypto'
import { getMessage, waitForMessages } from '../helpers/mailpit'
import { Types } from 'mongoose'
import { createAttendanceRepository } from '../../src/persistence/repositories/attendance.repository'
import { apiAs, day, minutesFromNow, startWorld, type World } from './support'

let world: World
let api: ReturnType<typeof apiAs>
const id = (key: string) => world.people[key]?.userId as string
const soon = () => `${day(7)}T14:30`

beforeAll(async () => {
  world = await startWorld()
  api = apiAs(world)
})
afterAll(async () => { await world?.close() })

const trip = async (who: string, extra: Record<string, unknown> = {}) =>
  await api(who, 'POST', '/api/v1/field-trips', { title: 'Stock exchange', startsAt: soon(), endsAt: `${day(7)}T17:00`, place: 'Frankfurt', capacity: 10, ...extra })
/** A trip that started a quarter of an hour ago, whose check-in and attendance are open. */
const now = { startsAt: minutesFromNow(-15), endsAt: minutesFromNow(105) }

describe('organising', () => {
  it('emails the invited students when a trip is published, changed and cancelled', async () => {
    const title = `Port authority ${randomBytes(3).toString('hex')}`
    const created = await trip('m1', { title })
    expect(created.status).toBe(201)
    await world.app.settled()
    const invited = await waitForMessages(`subject:"Field trip: ${title}"`, 2)
    expect(invited.map((m) => m.To[0]?.Address).sort()).toEqual(['s1@example.edu', 's2@example.edu'])
    const letter = await getMessage(invited[0]?.ID ?? '')
    expect(letter.Text).toContain('Where: Frankfurt')
    expect(letter.Text).toMatch(/When: .* UTC/)
    const changed = await api('m1', 'PATCH', `/api/v1/field-trips/${created.body.id as string}`, { place: 'Hamburg', invitedUserIds: [id('s1')] })
    expect(changed.status).toBe(200)
    await world.app.settled()
    expect((await waitForMessages(`subject:"Field trip changed: ${title}"`)).map((m) => m.To[0]?.Address)).toEqual(['s1@example.edu'])
    expect((await waitForMessages(`subject:"Field trip no longer for you: ${title}"`)).map((m) => m.To[0]?.Address)).toEqual(['s2@example.edu'])
    expect((await api('m1', 'DELETE', `/api/v1/field-trips/${created.body.id as string}`)).status).toBe(204)
    await world.app.settled()
    const [cancelled] = await waitForMessages(`subject:"Field trip cancelled: ${title}"`)
    expect(cancelled?.To[0]?.Address).toBe('s1@example.edu')
    expect((await getMessage(cancelled?.ID ?? '')).Text).toContain('Where: Hamburg')
  })

  it('a mentor invites their mentees by default, and cannot invite others', async () => {
    const res = await trip('m1')
    expect(res.status).toBe(201)
    expect(new Set(res.body.invitedUserIds)).toEqual(new Set([id('s1'), id('s2')]))
    expect(res.body).toMatchObject({ managed: true, organiserRole: 'mentor', startsAt: `${day(7)}T14:30:00.000Z` })
    const bad = await trip('m1', { invitedUserIds: [id('s1'), id('s3')] })
    expect(bad.status).toBe(400)
    expect(bad.body.message).toMatch(/invitedUserIds/)
    expect((await trip('s1')).status).toBe(403)
  })

  it('an instructor invites the whole course; each person sees only what concerns them', async () => {
    const res = await trip('instructor', { title: 'Parliament' })
    expect(res.body.invitedUserIds).toHaveLength(3)
    const s3 = await api('s3', 'GET', `/api/v1/field-trips/${res.body.id as string}`)
    expect(s3.body).toMatchObject({ invitedUserIds: [id('s3')], managed: false })
    const m2 = await api('m2', 'GET', '/api/v1/field-trips')
    expect(m2.body.map((t: { title: string }) => t.title)).toEqual(['Parliament'])
    expect(m2.body[0].invitedUserIds).toEqual([id('s3')])
    expect((await api('m2', 'PATCH', `/api/v1/field-trips/${res.body.id as string}`, { place: 'Elsewhere' })).status).toBe(403)
    expect((await api('bInstructor', 'GET', `/api/v1/field-trips/${res.body.id as string}`)).status).toBe(404)
    expect((await api('s3', 'GET', '/api/v1/field-trips')).body).toHaveLength(1)
  })

  it('dates trips inside the term', async () => {
    const res = await trip('m1', { startsAt: `${day(365)}T10:00`, endsAt: `${day(365)}T12:00` })
    expect(res.status).toBe(400)
    expect(res.body.message).toMatch(/startsAt/)
  })
})

describe('RSVP', () => {
  it('honours the capacity and lets a student change their answer', async () => {
    const t = (await trip('m1', { capacity: 1, title: 'Small' })).body
    const yes1 = await api('s1', 'PUT', `/api/v1/field-trips/${t.id as string}/rsvp`, { answer: 'yes' })
    expect(yes1.status).toBe(200)
    expect(yes1.body.seatsTaken).toBe(1)
    expect((await api('s1', 'PUT', `/api/v1/field-trips/${t.id as string}/rsvp`, { answer: 'yes' })).body.seatsTaken).toBe(1)
    const full = await api('s2', 'PUT', `/api/v1/field-trips/${t.id as string}/rsvp`, { answer: 'yes' })
    expect(full.status).toBe(409)
    expect(full.body.message).toMatch(/full/)
    expect((await api('s1', 'PUT', `/api/v1/field-trips/${t.id as string}/rsvp`, { answer: 'no' })).body.seatsTaken).toBe(0)
    expect((await api('s2', 'PUT', `/api/v1/field-trips/${t.id as string}/rsvp`, { answer: 'yes' })).status).toBe(200)
    expect((await api('s3', 'PUT', `/api/v1/field-trips/${t.id as string}/rsvp`, { answer: 'yes' })).status).toBe(404)
    await api('m1', 'PATCH', `/api/v1/field-trips/${t.id as string}`, { capacity: 3 })
    expect((await api('s1', 'PUT', `/api/v1/field-trips/${t.id as string}/rsvp`, { answer: 'yes' })).body.seatsTaken).toBe(2)
    const tooLow = await api('m1', 'PATCH', `/api/v1/field-trips/${t.id as string}`, { capacity: 1 })
    expect(tooLow.status).toBe(400)
    expect(tooLow.body.message).toMatch(/capacity: must be at least 2/)
    expect((await api('s2', 'PUT', `/api/v1/field-trips/${t.id as string}/rsvp`, { answer: 'no' })).body.seatsTaken).toBe(1)
    expect((await api('m1', 'PATCH', `/api/v1/field-trips/${t.id as string}`, { capacity: 1 })).status).toBe(200)
    expect((await api('s2', 'PUT', `/api/v1/field-trips/${t.id as string}/rsvp`, { answer: 'yes' })).status).toBe(409)
  })

  it('gives the last seat to one of two students answering at once', async () => {
    const t = (await trip('m1', { capacity: 1, title: 'Race' })).body
    const answers = await Promise.all(['s1', 's2'].map(async (s) => await api(s, 'PUT', `/api/v1/field-trips/${t.id as string}/rsvp`, { answer: 'yes' })))
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409])
    expect(await world.app.db.models.rsvps.countDocuments({ fieldTripId: t.id, answer: 'yes' })).toBe(1)
    expect((await api('m1', 'GET', `/api/v1/field-trips/${t.id as string}`)).body.seatsTaken).toBe(1)
  })
})

describe('attendance checklist', () => {
  it('records invited students only, all or nothing', async () => {
    const t = (await trip('m1', { title: 'Checklist', ...now })).body
    const path = `/api/v1/field-trips/${t.id as string}/attendance`
    const refused = await api('m1', 'PUT', path, { entries: [{ studentUserId: id('s1'), status: 'present' }, { studentUserId: id('s3'), status: 'present' }] })
    expect(refused.status).toBe(400)
    expect(refused.body.message).toMatch(/entries\.1\.studentUserId/)
    expect(await world.app.db.models.attendance.countDocuments({ fieldTripId: t.id })).toBe(0)

    const saved = await api('m1', 'PUT', path, { entries: [{ studentUserId: id('s1'), status: 'present' }, { studentUserId: id('s2'), status: 'excused' }] })
    expect(saved.status).toBe(200)
    expect(saved.body).toHaveLength(2)
    const changed = await api('m1', 'PUT', path, { entries: [{ studentUserId: id('s2'), status: 'absent' }] })
    expect(changed.body.find((r: { studentUserId: string }) => r.studentUserId === id('s2')).status).toBe('absent')
    expect((await api('m2', 'PUT', path, { entries: [{ studentUserId: id('s1'), status: 'absent' }] })).status).toBe(404)
    expect((await api('instructor', 'GET', path)).body.rows).toHaveLength(2)
    expect((await api('s1', 'GET', '/api/v1/progress')).body[0].progress.fieldTripsAttended).toBe(1)
  })
})

describe('check-in', () => {
  it('accepts the code while the window is open, once, for invited students only', async () => {
    const t = (await trip('m1', { title: 'Check-in', ...now })).body
    const opened = await api('m1', 'POST', `/api/v1/field-trips/${t.id as string}/check-ins`, { minutes: 15 })
    expect(opened.status).toBe(201)
    expect(opened.body.code).toMatch(/^[A-Z2-9]{6}$/)
    const code: string = opened.body.code
    const first = await api('s1', 'POST', '/api/v1/check-ins', { code: code.toLowerCase() })
    expect(first.body).toMatchObject({ fieldTripId: t.id, status: 'present', alreadyCheckedIn: false })
    const again = await api('s1', 'POST', '/api/v1/check-ins', { code })
    expect(again.body).toMatchObject({ status: 'present', alreadyCheckedIn: true })
    expect(await world.app.db.models.attendance.countDocuments({ fieldTripId: t.id, studentUserId: id('s1') })).toBe(1)
    const stranger = await api('s3', 'POST', '/api/v1/check-ins', { code })
    expect(stranger.status).toBe(403)
    expect(stranger.body.message).toMatch(/code/)
    expect((await api('bStudent', 'POST', '/api/v1/check-ins', { code })).status).toBe(404)
    expect((await api('m1', 'POST', '/api/v1/check-ins', { code })).status).toBe(403)
    const audit = await api('instructor', 'GET', `/api/v1/audit?entity=field-trip&entityId=${t.id as string}`)
    expect(audit.body.filter((e: { action: string }) => e.action === 'check-in')).toHaveLength(1)
  })

  it('refuses codes before the window opens and after it closes', async () => {
    const t = (await trip('m1', { title: 'Window', ...now })).body
    const later = new Date(Date.now() + 3_600_000).toISOString()
    const notYet = (await api('m1', 'POST', `/api/v1/field-trips/${t.id as string}/check-ins`, { minutes: 10, opensAt: later })).body
    const early = await api('s2', 'POST', '/api/v1/check-ins', { code: notYet.code })
    expect(early.status).toBe(409)
    expect(early.body.message).toMatch(/code: is not open yet/)

    const open = (await api('m1', 'POST', `/api/v1/field-trips/${t.id as string}/check-ins`, { minutes: 10 })).body
    await world.app.db.models.checkIns.updateOne({ code: open.code }, { $set: { closesAt: new Date(Date.now() - 1000) } })
    const late = await api('s2', 'POST', '/api/v1/check-ins', { code: open.code })
    expect(late.status).toBe(409)
    expect(late.body.message).toMatch(/code: has expired/)
    expect(await world.app.db.models.attendance.countDocuments({ fieldTripId: t.id })).toBe(0)
  })

  it('gives every window a new code, so one event\'s code never checks anyone into another', async () => {
    const a = (await trip('m1', { title: 'Event A', ...now })).body
    const b = (await trip('m1', { title: 'Event B', ...now })).body
    const codeA = (await api('m1', 'POST', `/api/v1/field-trips/${a.id as string}/check-ins`, { minutes: 30 })).body.code
    const codeB = (await api('m1', 'POST', `/api/v1/field-trips/${b.id as string}/check-ins`, { minutes: 30 })).body.code
    expect(codeA).not.toBe(codeB)
    const reopened = (await api('m1', 'POST', `/api/v1/field-trips/${a.id as string}/check-ins`, { minutes: 30 })).body.code
    expect(reopened).not.toBe(codeA)
    expect((await api('s2', 'POST', '/api/v1/check-ins', { code: codeA })).status).toBe(409)
    const checked = await api('s2', 'POST', '/api/v1/check-ins', { code: codeB })
    expect(checked.body.fieldTripId).toBe(b.id)
    expect(await world.app.db.models.attendance.countDocuments({ fieldTripId: a.id, studentUserId: id('s2') })).toBe(0)
  })

  it('never stores the same code twice, even when the generator repeats itself', async () => {
    const repo = createAttendanceRepository(world.app.db.models)
    const codes = ['ZZZZZZ', 'ZZZZZZ', 'YYYYYY']
    const next = () => codes.shift() as string
    const newId = () => String(new Types.ObjectId())
    const window = { courseId: newId(), fieldTripId: newId(), opensAt: new Date(), closesAt: new Date(Date.now() + 60_000), openedBy: newId() }
    expect((await repo.openCheckIn(window, next)).code).toBe('ZZZZZZ')
    expect((await repo.openCheckIn({ ...window, fieldTripId: newId() }, next)).code).toBe('YYYYYY')
    expect(await world.app.db.models.checkIns.countDocuments({ code: 'ZZZZZZ' })).toBe(1)
  })
})
