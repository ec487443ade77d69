import { randomBytes } from 'node:crypto'
import { Types } from 'mongoose'
import { deleteMessages, getAttachment, getMessage, searchMessages, waitForMessages } from '../helpers/mailpit'
import { apiAs, day, expectAccessible, followAs, formAs, pageAs, startWorld, type World } from '../activities/support'
import { inDays, runDueBy } from './later'

/**
 * Notices as people live with them: everything lands in the in-app list (a count in the navigation), emails go as
 * each person chose (at once, in a daily summary, or never), the instructor chooses what the course sends, and a
 * field trip's reminder comes the day before with a calendar file. Reminders and summaries are jobs due later, taken
 * up here by asking the notifier what is due at a later time.
 */
let world: World
let api: ReturnType<typeof apiAs>
let page: ReturnType<typeof pageAs>
let form: ReturnType<typeof formAs>
let follow: ReturnType<typeof followAs>
const tag = randomBytes(3).toString('hex')
const dueBy = async (at: Date) => { await runDueBy(world.app, at) }
const unreadIn = (html: string): number => Number(/Notifications <span class="count">(\d+)/.exec(html)?.[1] ?? 0)
const summaries = 'to:m1@example.edu subject:"Your Mentorlink summary"'

beforeAll(async () => {
  world = await startWorld()
  api = apiAs(world)
  page = pageAs(world)
  form = formAs(world)
  follow = followAs(world)
  await deleteMessages(summaries)
})
afterAll(async () => { await world?.close() })

describe('entries waiting for verification', () => {
  it('go into the mentor\'s daily summary by default, sent once for the day, and show in their list at once', async () => {
    const before = unreadIn((await page('m1', '/mentor')).html)
    const logged = await api('s1', 'POST', '/api/v1/activities', { kind: 'session', date: day(-1), durationMinutes: 45, topics: [`pricing ${tag}`] })
    expect(logged.status).toBe(201)
    await world.app.settled()

    expect(unreadIn((await page('m1', '/mentor')).html)).toBe(before + 1)
    const list = await page('m1', '/notifications')
    expect(list.status).toBe(200)
    expectAccessible(list.html)
    expect(list.html).toContain('Lucia Ferreira recorded a 1:1 mentoring session of')
    expect(list.html).toContain('please verify it')
    expect(list.html).toContain('href="/mentor/verifications?session')
    // Reading the list marks it read.
    expect(unreadIn((await page('m1', '/mentor')).html)).toBe(0)

    expect(await searchMessages('to:m1@example.edu subject:"please verify it"')).toEqual([])
    await dueBy(inDays(2))
    const [summary] = await waitForMessages(summaries)
    const letter = await getMessage(summary?.ID ?? '')
    expect(letter.Subject).toBe('Your Mentorlink summary: 1 update')
    expect(letter.Text).toContain('Course A')
    expect(letter.Text).toContain('Lucia Ferreira recorded a 1:1 mentoring session')
    expect(letter.ListUnsubscribe.HeaderPost).toBe('List-Unsubscribe=One-Click')
    // Due again, nothing more: the day's summary went.
    await dueBy(inDays(3))
    expect(await searchMessages(summaries)).toHaveLength(1)
  })

  it('sends nothing when the mentor chose never, and at once when they chose so', async () => {
    const settings = await page('m1', '/notifications/settings')
    expect(settings.status).toBe(200)
    expectAccessible(settings.html)
    expect(settings.html).toContain('Emails about entries waiting for your verification')
    expect(settings.html).toMatch(/name="mode-verification" value="digest" checked/)

    const refused = await form('m1', '/notifications/settings', { 'mode-verification': 'sometimes' })
    expect(refused.status).toBe(400)
    expect(refused.html).toContain('Choose how you want these emails')

    const off = await form('m1', '/notifications/settings', { 'mode-verification': 'off' })
    expect(off.status).toBe(303)
    expect((await follow('m1', off.location)).html).toContain('Your email settings are saved.')
    await api('s2', 'POST', '/api/v1/activities', { kind: 'session', date: day(-1), durationMinutes: 30, topics: [`off ${tag}`] })
    await world.app.settled()
    await dueBy(inDays(2))
    expect(await searchMessages(summaries)).toHaveLength(1)
    expect((await page('m1', '/notifications')).html).toContain('Tomasz Nowak recorded a 1:1 mentoring session')

    expect((await form('m1', '/notifications/settings', { 'mode-verification': 'immediately' })).status).toBe(303)
    const meeting = await api('s2', 'POST', '/api/v1/activities', { kind: 'meeting', date: day(-2), organisation: 'Acme board', reflection: `now ${tag}` })
    expect(meeting.status).toBe(201)
    await world.app.settled()
    const [now] = await waitForMessages('to:m1@example.edu subject:"Tomasz Nowak recorded an observed high-level meeting"')
    expect((await getMessage(now?.ID ?? '')).Text).toContain('go to Verifications')
  })
})

describe('field trips', () => {
  it('remind the students coming the day before, with the trip as a calendar file', async () => {
    const title = `Port authority ${tag}`
    const startsAt = `${day(5)}T09:30`
    const created = await api('m1', 'POST', '/api/v1/field-trips', { title, startsAt, endsAt: `${day(5)}T12:00`, place: 'Rotterdam harbour', capacity: 10 })
    expect(created.status).toBe(201)
    await world.app.settled()
    const [invitation] = await waitForMessages(`to:s1@example.edu subject:"Field trip: ${title}"`)
    const invited = await getMessage(invitation?.ID ?? '')
    const invitedIcs = (await getAttachment(invited.ID, invited.Attachments[0]?.PartID ?? '')).toString('utf8')
    expect(invitedIcs).toContain('STATUS:CONFIRMED')
    expect(invitedIcs).toContain(`UID:trip-${created.body.id as string}@mentorlink`)
    expect(await api('s2', 'PUT', `/api/v1/field-trips/${created.body.id as string}/rsvp`, { answer: 'no' })).toMatchObject({ status: 200 })

    await dueBy(inDays(2))
    expect(await searchMessages(`subject:"Tomorrow: ${title}"`)).toEqual([])
    await dueBy(new Date(Date.parse(`${startsAt}:00Z`) - 23 * 3600_000))
    const reminders = await waitForMessages(`subject:"Tomorrow: ${title}"`)
    expect(reminders.map((m) => m.To[0]?.Address)).toEqual(['s1@example.edu'])
    const letter = await getMessage(reminders[0]?.ID ?? '')
    expect(letter.Text).toContain('Where: Rotterdam harbour')
    const ics = letter.Attachments.find((a) => a.ContentType.startsWith('text/calendar'))
    expect(ics?.FileName).toBe('field-trip.ics')
    const calendar = (await getAttachment(letter.ID, ics?.PartID ?? '')).toString('utf8')
    expect(calendar).toContain('BEGIN:VEVENT')
    expect(calendar).toContain(`DTSTART:${day(5).replaceAll('-', '')}T093000Z`)
    expect(calendar).toContain(`SUMMARY:${title}`)
    // A reminder goes once.
    await dueBy(new Date(Date.parse(`${startsAt}:00Z`) - 22 * 3600_000))
    expect(await searchMessages(`subject:"Tomorrow: ${title}"`)).toHaveLength(1)
  })

  it('a trip moved after its reminder was scheduled is reminded at its new time only', async () => {
    const title = `Moved ${tag}`
    const created = await api('m2', 'POST', '/api/v1/field-trips', { title, startsAt: `${day(4)}T10:00`, endsAt: `${day(4)}T12:00`, place: 'Bonn', capacity: 5 })
    await world.app.settled()
    expect((await api('m2', 'PATCH', `/api/v1/field-trips/${created.body.id as string}`, { startsAt: `${day(6)}T10:00`, endsAt: `${day(6)}T12:00` })).status).toBe(200)
    await world.app.settled()
    await dueBy(inDays(4))
    expect(await searchMessages(`subject:"Tomorrow: ${title}"`)).toEqual([])
    await dueBy(inDays(6))
    expect((await waitForMessages(`subject:"Tomorrow: ${title}"`)).map((m) => m.To[0]?.Address)).toEqual(['s3@example.edu'])
  })
})

describe('pairs gone quiet', () => {
  it('are listed for the instructor as at risk, and both sides are nudged once per quiet spell', async () => {
    await deleteMessages('subject:"Nothing recorded with"')
    const courseA = new Types.ObjectId(world.people.instructor?.courseId)
    // Course A was paired 40 days ago; Priya Raman (S3, with Helena Berg) has recorded nothing since.
    await world.app.db.models.pairings.updateMany({ courseId: courseA }, { $set: { publishedAt: inDays(-40) } })
    const list = await page('instructor', '/instructor/at-risk')
    expect(list.status).toBe(200)
    expectAccessible(list.html)
    expect(list.html).toMatch(/Priya Raman<\/a><\/th>\s*<td>Helena Berg<\/td>\s*<td>None since paired<\/td>\s*<td>40<\/td>/)

    // The morning look for quiet pairs is due daily (earlier tests here moved it some days on).
    await dueBy(inDays(30))
    const [toStudent] = await waitForMessages('to:s3@example.edu subject:"Nothing recorded with Helena Berg for 40 days"')
    expect((await getMessage(toStudent?.ID ?? '')).Text).toContain('since you were paired 40 days ago')
    await waitForMessages('to:m2@example.edu subject:"Nothing recorded with Priya Raman for 40 days"')
    expect((await page('s3', '/notifications')).html).toContain('Nothing recorded with Helena Berg')
    await dueBy(inDays(32))
    expect(await searchMessages('subject:"Nothing recorded with Helena Berg"')).toHaveLength(1)
  })

  it('the instructor sets how many days make a pair quiet, in plain words when refused', async () => {
    const refused = await form('instructor', '/instructor/at-risk', { days: '2' })
    expect(refused.status).toBe(400)
    expect(refused.html).toContain('Days without activity: enter at least 3.')
    expect((await form('instructor', '/instructor/at-risk', { days: 'soon' })).html).toContain('Days without activity: enter a number of days.')
    const saved = await form('instructor', '/instructor/at-risk', { days: '60' })
    expect(saved.status).toBe(303)
    const after = await follow('instructor', saved.location)
    expect(after.html).toContain('a pair counts as quiet after 60 days')
    expect(after.html).not.toContain('Priya Raman')
    expect((await form('m1', '/instructor/at-risk', { days: '10' })).status).toBe(403)
  })
})

describe('what the course sends', () => {
  it('the instructor turns a kind off for the course: no email, the notice still in the list', async () => {
    const settings = await page('instructor', '/notifications/settings')
    expectAccessible(settings.html)
    expect(settings.html).toContain('Emails this course sends')
    const kinds = ['pairing', 'verification', 'returned']
    const saved = await form('instructor', '/notifications/course', { send: kinds })
    expect(saved.status).toBe(303)
    expect((await follow('instructor', saved.location)).html).toMatch(/value="trip"(?! checked)/)

    const title = `Quiet trip ${tag}`
    await api('m2', 'POST', '/api/v1/field-trips', { title, startsAt: `${day(8)}T10:00`, endsAt: `${day(8)}T12:00`, place: 'Bonn', capacity: 5 })
    await world.app.settled()
    expect(await searchMessages(`subject:"Field trip: ${title}"`)).toEqual([])
    expect((await page('s3', '/notifications')).html).toContain(`Field trip: ${title}`)
    expect((await form('instructor', '/notifications/course', { send: [...kinds, 'trip'] })).status).toBe(303)
  })

  it('only instructors choose for the course; each person sees only their own list', async () => {
    expect((await form('s1', '/notifications/course', { send: [] })).status).toBe(403)
    expect((await page('s3', '/notifications')).html).not.toContain('Lucia Ferreira')
    expect((await page('bStudent', '/notifications')).html).not.toContain(tag)
  })
})
