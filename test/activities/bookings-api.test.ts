import { Types } from 'mongoose'
import { weekdayOf } from '../../src/domain/term/calendar-day'
import { dayToDate } from '../../src/domain/term/calendar-day'
import { createBookingRepository } from '../../src/persistence/repositories/booking.repository'
import { deleteMessages, getAttachment, getMessage, waitForMessages } from '../helpers/mailpit'
import { apiAs, day, placeTime, startWorld, type World } from './support'
import ical from 'node-ical'

/**
 * 1:1 session booking over the JSON API: a mentor offers weekly and one-off times in their zone, their mentees book
 * them (exactly one of several students asking for one time at once), move and cancel them, and the other side is
 * told; each booking is a planned session in the student's record until completed and verified.
 */
let world: World
let api: ReturnType<typeof apiAs>
const id = (key: string) => world.people[key]?.userId as string

beforeAll(async () => {
  world = await startWorld()
  api = apiAs(world)
  await deleteMessages('subject:"1:1 session"')
})
afterAll(async () => { await world?.close() })

/** Every week on the weekday three days from now, 10:00 in Berlin (09:00 UTC while Berlin is on winter time). */
const weekly = (extra: Record<string, unknown> = {}) => ({
  kind: 'weekly', weekday: weekdayOf(day(3)), startTime: '10:00', minutes: 60, from: day(1), until: day(50), timeZone: 'Europe/Berlin', place: 'Room 4', ...extra
})
const freeTimes = async (who: string): Promise<Array<{ startsAt: string, minutes: number, place: string }>> => {
  const res = await api(who, 'GET', '/api/v1/bookings/free-times')
  expect(res.status).toBe(200)
  return res.body.times
}

describe('availability', () => {
  it('a mentor offers a weekly time in their zone; their mentees see it each week, as UTC instants', async () => {
    const res = await api('m1', 'POST', '/api/v1/availability/slots', weekly())
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ kind: 'weekly', startTime: '10:00', timeZone: 'Europe/Berlin', place: 'Room 4' })
    const times = await freeTimes('s1')
    expect(times[0]).toMatchObject({ startsAt: `${day(3)}T09:00:00.000Z`, minutes: 60, place: 'Room 4' })
    expect(times.map((t) => t.startsAt)).toContain(`${day(10)}T09:00:00.000Z`)
    // Six weeks ahead at most.
    expect(times.every((t) => Date.parse(t.startsAt) < Date.now() + 43 * 86_400_000)).toBe(true)
    expect(await freeTimes('s2')).toEqual(times)
    // Another mentor's mentee sees their own mentor's times: none.
    expect(await freeTimes('s3')).toEqual([])
  })

  it('refuses a slot overlapping one already offered, naming the times; a neighbouring one is fine', async () => {
    const clash = await api('m1', 'POST', '/api/v1/availability/slots', { kind: 'once', date: day(3), startTime: '09:30', minutes: 45, timeZone: 'UTC', videoLink: 'https://meet.example.com/m1' })
    expect(clash.status).toBe(409)
    expect(clash.body.message).toMatch(/startTime: overlaps a time you already offer/)
    const next = await api('m1', 'POST', '/api/v1/availability/slots', { kind: 'once', date: day(3), startTime: '11:00', minutes: 30, timeZone: 'Europe/Berlin', videoLink: 'https://meet.example.com/m1' })
    expect(next.status).toBe(201)
    expect((await freeTimes('s1')).map((t) => t.startsAt)).toContain(`${day(3)}T10:00:00.000Z`)
  })

  it('refuses bad input naming the field in plain words, and storing nothing', async () => {
    const before = (await api('m1', 'GET', '/api/v1/availability')).body.slots.length
    const zone = await api('m1', 'POST', '/api/v1/availability/slots', weekly({ timeZone: 'Mars/Olympus', startTime: '07:00' }))
    expect(zone.status).toBe(400)
    expect(zone.body.message).toMatch(/timeZone: must be a time zone name/)
    const outside = await api('m1', 'POST', '/api/v1/availability/slots', weekly({ until: day(90), startTime: '07:00' }))
    expect(outside.status).toBe(400)
    expect(outside.body.message).toMatch(/until: must fall between/)
    const nowhere = await api('m1', 'POST', '/api/v1/availability/slots', weekly({ place: '', startTime: '07:00' }))
    expect(nowhere.status).toBe(400)
    expect(nowhere.body.message).toMatch(/place: is required unless you give a video link/)
    const time = await api('m1', 'POST', '/api/v1/availability/slots', weekly({ startTime: '25:00' }))
    expect(time.body.message).toMatch(/startTime: must be a time as HH:MM/)
    expect((await api('m1', 'GET', '/api/v1/availability')).body.slots).toHaveLength(before)
    expect((await api('s1', 'POST', '/api/v1/availability/slots', weekly({ startTime: '07:00' }))).status).toBe(403)
  })

  it('of two overlapping slots published at the same moment, exactly one is stored', async () => {
    const once = (startTime: string) => ({ kind: 'once', date: day(30), startTime, minutes: 60, timeZone: 'UTC', place: 'Room 9' })
    const answers = await Promise.all([api('m1', 'POST', '/api/v1/availability/slots', once('16:00')), api('m1', 'POST', '/api/v1/availability/slots', once('16:30'))])
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409])
    const onDay = (await freeTimes('s1')).filter((t) => t.startsAt.startsWith(day(30)) && t.place === 'Room 9')
    expect(onDay).toHaveLength(1)
  })

  it('uses the course\'s time zone, else UTC, when the mentor names none', async () => {
    const res = await api('m1', 'POST', '/api/v1/availability/slots', { kind: 'once', date: day(20), startTime: '15:00', minutes: 30, place: 'Café' })
    expect(res.status).toBe(201)
    expect(res.body.timeZone).toBe('UTC')
    expect((await api('m1', 'GET', '/api/v1/availability')).body.defaultTimeZone).toBe('UTC')
  })
})

describe('booking', () => {
  let bookingId = ''
  let activityId = ''

  it('of students asking for one time at the same moment, exactly one gets it; the others are told it was just taken', async () => {
    const startsAt = `${day(3)}T09:00:00.000Z`
    const answers = await Promise.all(['s1', 's2', 's1', 's2', 's2'].map(async (who) => await api(who, 'POST', '/api/v1/bookings', { startsAt })))
    const won = answers.filter((a) => a.status === 201)
    expect(won).toHaveLength(1)
    for (const lost of answers.filter((a) => a.status !== 201)) {
      expect(lost.status).toBe(409)
      expect(lost.body.message).toMatch(/that time was just taken/i)
    }
    expect(await world.app.db.models.sessionBookings.countDocuments({ status: 'booked', startsAt: new Date(startsAt) })).toBe(1)
    expect((await freeTimes('s1')).map((t) => t.startsAt)).not.toContain(startsAt)
    // Whoever won, s1 holds the next week's session for the rest of these tests.
    if (won[0]?.body.studentUserId === id('s2')) {
      expect((await api('s2', 'POST', `/api/v1/bookings/${won[0]?.body.id as string}/cancel`, {})).status).toBe(200)
    }
    const mine = await api('s1', 'POST', '/api/v1/bookings', { startsAt: `${day(10)}T09:00:00.000Z` })
    expect(mine.status).toBe(201)
    bookingId = mine.body.id
    activityId = mine.body.activityId
  })

  it('a booked session is a planned 1:1 session in the student\'s record that counts for nothing yet', async () => {
    const entry = await api('s1', 'GET', `/api/v1/activities/${activityId}`)
    expect(entry.status).toBe(200)
    expect(entry.body).toMatchObject({ kind: 'session', status: 'planned', date: day(10), durationMinutes: 60 })
    await world.app.settled()
    const progress = await api('s1', 'GET', '/api/v1/progress')
    expect(progress.body[0].progress.verified.session).toBe(0)
    // It is moved and cancelled through the booking, not the record.
    const moved = await api('s1', 'PATCH', `/api/v1/activities/${activityId}`, { kind: 'session', date: day(11) })
    expect(moved.status).toBe(409)
    expect(moved.body.message).toMatch(/date: is the booked time's/)
    expect((await api('s1', 'DELETE', `/api/v1/activities/${activityId}`)).status).toBe(409)
  })

  it('tells the mentor, in Mentorlink and by email with the session as a calendar file', async () => {
    await world.app.settled()
    const [mail] = await waitForMessages(`to:m1@example.edu subject:"booked a 1:1 session with you: ${placeTime(10, '10:00', 'Europe/Berlin')}"`)
    const letter = await getMessage(mail?.ID ?? '')
    expect(letter.Subject).toContain('Lucia Ferreira booked a 1:1 session with you')
    expect(letter.Text).toContain('Where: Room 4')
    const ics = letter.Attachments.find((a) => a.ContentType.startsWith('text/calendar'))
    expect(ics?.FileName).toBe('mentoring-session.ics')
    const calendar = (await getAttachment(letter.ID, ics?.PartID ?? '')).toString('utf8')
    expect(calendar).toContain(`DTSTART;TZID=Europe/Berlin:${day(10).replaceAll('-', '')}T100000`)
    expect(calendar).toContain(`DTEND;TZID=Europe/Berlin:${day(10).replaceAll('-', '')}T110000`)
  })

  it('puts the session in both people\'s calendar feeds, and in no one else\'s', async () => {
    const feedOf = async (who: string): Promise<string> => {
      const form = new URLSearchParams({ session: world.people[who]?.token ?? '' })
      const made = await fetch(`${world.app.config.publicUrl}/calendar/link`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, body: form.toString() })
      const url = /id="feed-url"[^>]*value="([^"]+)"/.exec(await made.text())?.[1]?.replaceAll('&#x3D;', '=').replaceAll('&amp;', '&')
      if (url === undefined) throw new Error(`no calendar link for ${who}`)
      return await (await fetch(url)).text()
    }
    const sessions = (text: string) => Object.values(ical.sync.parseICS(text))
      .filter((e): e is ical.VEvent => e?.type === 'VEVENT' && String(e.uid).startsWith('session-'))
    const [student, mentor, other] = await Promise.all([feedOf('s1'), feedOf('m1'), feedOf('s3')])
    for (const text of [student, mentor]) {
      const session = sessions(text).find((e) => e.start.toISOString() === `${day(10)}T09:00:00.000Z`)
      expect(session).toMatchObject({ summary: '1:1 mentoring session: Daniel Reyes and Lucia Ferreira', location: 'Room 4' })
    }
    expect(sessions(other)).toHaveLength(0)
  })

  it('shows each person only their own bookings; an instructor reads the course\'s', async () => {
    expect((await api('s1', 'GET', '/api/v1/bookings')).body.map((b: { id: string }) => b.id)).toContain(bookingId)
    expect((await api('s2', 'GET', '/api/v1/bookings')).body.map((b: { id: string }) => b.id)).not.toContain(bookingId)
    expect((await api('s2', 'GET', `/api/v1/bookings/${bookingId}`)).status).toBe(404)
    expect((await api('m2', 'GET', `/api/v1/bookings/${bookingId}`)).status).toBe(404)
    expect((await api('bInstructor', 'GET', `/api/v1/bookings/${bookingId}`)).status).toBe(404)
    expect((await api('m1', 'GET', `/api/v1/bookings/${bookingId}`)).status).toBe(200)
    const all = await api('instructor', 'GET', '/api/v1/bookings')
    expect(all.body.map((b: { id: string }) => b.id)).toContain(bookingId)
    expect((await api('instructor', 'POST', `/api/v1/bookings/${bookingId}/cancel`, {})).status).toBe(403)
    expect((await api('s2', 'POST', `/api/v1/bookings/${bookingId}/cancel`, {})).status).toBe(404)
    expect((await api('m2', 'POST', `/api/v1/bookings/${bookingId}/reschedule`, { startsAt: `${day(17)}T09:00:00.000Z` })).status).toBe(404)
  })

  it('another mentor\'s student cannot book the mentor\'s times', async () => {
    const res = await api('s3', 'POST', '/api/v1/bookings', { startsAt: `${day(17)}T09:00:00.000Z` })
    expect(res.status).toBe(409)
    expect(res.body.message).toMatch(/startsAt: is not one of the free times/)
    expect((await api('m1', 'POST', '/api/v1/bookings', { startsAt: `${day(17)}T09:00:00.000Z` })).status).toBe(403)
    const bad = await api('s1', 'POST', '/api/v1/bookings', { startsAt: 'tomorrow' })
    expect(bad.status).toBe(400)
    expect(bad.body.message).toMatch(/startsAt/)
  })

  it('the mentor moves it to another free time: the record moves and the student is told', async () => {
    const res = await api('m1', 'POST', `/api/v1/bookings/${bookingId}/reschedule`, { startsAt: `${day(17)}T09:00:00.000Z`, note: 'Board meeting moved' })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ status: 'booked', startsAt: `${day(17)}T09:00:00.000Z`, activityId, note: 'Board meeting moved' })
    expect((await api('s1', 'GET', `/api/v1/bookings/${bookingId}`)).body.status).toBe('moved')
    expect((await api('s1', 'GET', `/api/v1/activities/${activityId}`)).body.date).toBe(day(17))
    // The old time is free again.
    expect((await freeTimes('s2')).map((t) => t.startsAt)).toContain(`${day(10)}T09:00:00.000Z`)
    bookingId = res.body.id
    await world.app.settled()
    const [mail] = await waitForMessages(`to:s1@example.edu subject:"moved your 1:1 session to ${placeTime(17, '10:00', 'Europe/Berlin')}"`)
    const letter = await getMessage(mail?.ID ?? '')
    expect(letter.Text).toContain('Board meeting moved')
    const calendar = (await getAttachment(letter.ID, letter.Attachments[0]?.PartID ?? '')).toString('utf8')
    expect(calendar).toContain('SEQUENCE:1')
    expect(calendar).toContain(`DTSTART;TZID=Europe/Berlin:${day(17).replaceAll('-', '')}T100000`)
  })

  it('offers the session as an .ics download to its people only', async () => {
    const url = `${world.app.config.publicUrl}/bookings/${bookingId}/calendar.ics?session=`
    const mine = await fetch(`${url}${encodeURIComponent(world.people.s1?.token ?? '')}`)
    expect(mine.status).toBe(200)
    expect(mine.headers.get('content-type')).toMatch(/^text\/calendar/)
    expect(await mine.text()).toContain(`DTSTART;TZID=Europe/Berlin:${day(17).replaceAll('-', '')}T100000`)
    expect((await fetch(`${url}${encodeURIComponent(world.people.s2?.token ?? '')}`)).status).toBe(404)
  })

  it('a slot taken away keeps its booked sessions, and a new slot may not overlap them', async () => {
    const slots = (await api('m1', 'GET', '/api/v1/availability')).body.slots as Array<{ id: string, kind: string }>
    const weeklySlot = slots.find((s) => s.kind === 'weekly')
    expect((await api('m1', 'DELETE', `/api/v1/availability/slots/${weeklySlot?.id as string}`)).status).toBe(204)
    expect((await freeTimes('s1')).map((t) => t.startsAt)).not.toContain(`${day(24)}T09:00:00.000Z`)
    expect((await api('s1', 'GET', `/api/v1/bookings/${bookingId}`)).body.status).toBe('booked')
    const clash = await api('m1', 'POST', '/api/v1/availability/slots', { kind: 'once', date: day(17), startTime: '09:30', minutes: 30, timeZone: 'UTC', place: 'Room 4' })
    expect(clash.status).toBe(409)
    expect(clash.body.message).toMatch(/overlaps a session booked with you/)
    // Offered again for the rest of these tests.
    expect((await api('m1', 'POST', '/api/v1/availability/slots', weekly({ from: day(18) }))).status).toBe(201)
  })

  it('the student cancels with a note: the mentor is told, the planned session leaves the record, the time is free', async () => {
    const res = await api('s1', 'POST', `/api/v1/bookings/${bookingId}/cancel`, { note: 'Exam that week' })
    expect(res.status).toBe(200)
    expect(res.body.status).toBe('cancelled')
    expect((await api('s1', 'GET', `/api/v1/activities/${activityId}`)).status).toBe(404)
    expect((await api('s1', 'POST', `/api/v1/bookings/${bookingId}/cancel`, {})).status).toBe(409)
    await world.app.settled()
    const [mail] = await waitForMessages(`to:m1@example.edu subject:"cancelled your 1:1 session of ${placeTime(17, '10:00', 'Europe/Berlin')}"`)
    const letter = await getMessage(mail?.ID ?? '')
    expect(letter.Text).toContain('Exam that week')
    const calendar = (await getAttachment(letter.ID, letter.Attachments[0]?.PartID ?? '')).toString('utf8')
    expect(calendar).toContain('STATUS:CANCELLED')
  })

  it('of two moves of one session at the same moment, one wins and the session is held once', async () => {
    const booked = await api('s2', 'POST', '/api/v1/bookings', { startsAt: `${day(31)}T09:00:00.000Z` })
    expect(booked.status).toBe(201)
    const [a, b] = await Promise.all([
      api('s2', 'POST', `/api/v1/bookings/${booked.body.id as string}/reschedule`, { startsAt: `${day(38)}T09:00:00.000Z` }),
      api('m1', 'POST', `/api/v1/bookings/${booked.body.id as string}/cancel`, { note: 'Ill' })
    ])
    expect([a.status, b.status].sort()).toEqual([200, 409])
    const live = (await api('s2', 'GET', '/api/v1/bookings')).body as Array<{ startsAt: string }>
    expect(live.filter((x) => x.startsAt === `${day(31)}T09:00:00.000Z`)).toEqual([])
    expect(live.filter((x) => x.startsAt === `${day(38)}T09:00:00.000Z`)).toHaveLength(a.status === 200 ? 1 : 0)
    const record = await world.app.db.models.activities.countDocuments({ _id: new Types.ObjectId(booked.body.activityId as string), deletedAt: null })
    expect(record).toBe(a.status === 200 ? 1 : 0)
  })

  it('a completed session goes to the mentor and counts once verified', async () => {
    const booked = await api('s1', 'POST', '/api/v1/bookings', { startsAt: `${day(24)}T09:00:00.000Z` })
    expect(booked.status).toBe(201)
    const entry = booked.body.activityId as string
    const early = await api('s1', 'PATCH', `/api/v1/activities/${entry}`, { kind: 'session', notes: 'Went well' })
    expect(early.status).toBe(409)
    expect(early.body.message).toMatch(/complete it from that day on/)
    // The day of the session comes.
    await world.app.db.models.activities.updateOne({ _id: new Types.ObjectId(entry) }, { $set: { date: dayToDate(day(0)) } })
    const done = await api('s1', 'PATCH', `/api/v1/activities/${entry}`, { kind: 'session', topics: ['board dynamics'], notes: 'Went well' })
    expect(done.status).toBe(200)
    expect(done.body.status).toBe('pending')
    const verified = await api('m1', 'POST', `/api/v1/verifications/${entry}`, { decision: 'approve' })
    expect(verified.status).toBe(200)
    expect(verified.body.status).toBe('verified')
    await world.app.settled()
    expect((await api('s1', 'GET', '/api/v1/progress')).body[0].progress.verified.session).toBe(1)
    // Held: no longer moved or cancelled through the booking.
    const late = await api('s1', 'POST', `/api/v1/bookings/${booked.body.id as string}/cancel`, {})
    expect(late.status).toBe(409)
    expect(late.body.message).toMatch(/already recorded as held/)
  })
})

describe('the claim itself', () => {
  it('holds a student\'s instant too: no second booking at the same time, whoever the mentor', async () => {
    const repo = createBookingRepository(world.app.db.models)
    const startsAt = new Date(Date.now() + 90 * 86_400_000)
    const base = {
      courseId: world.people.s1?.courseId as string, studentUserId: id('s1'), startsAt, minutes: 30, timeZone: 'UTC',
      slotId: String(new Types.ObjectId()), place: 'x', videoLink: '', activityId: null, sequence: 0, note: '', changedBy: null
    }
    const first = await repo.claim({ ...base, mentorUserId: id('m1') })
    expect(typeof first).toBe('object')
    expect(await repo.claim({ ...base, mentorUserId: id('m2') })).toBe('student-busy')
    expect(await repo.claim({ ...base, studentUserId: id('s2'), mentorUserId: id('m1') })).toBe('taken')
    if (typeof first === 'object') expect(await repo.release(first, 'cancelled', id('s1'), '')).toMatchObject({ status: 'cancelled' })
    expect(typeof await repo.claim({ ...base, mentorUserId: id('m2') })).toBe('object')
  })
})
