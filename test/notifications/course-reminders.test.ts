import { randomBytes } from 'node:crypto'
import { Types } from 'mongoose'
import { deleteMessages, getMessage, searchMessages, waitForMessages } from '../helpers/mailpit'
import { day, formAs, pageAs, startWorld, type World } from '../activities/support'
import { inDays, runDueBy } from './later'

/**
 * What a course's calendar sends: the instructor's reminder to fill in the intake, milestones a few days ahead (once
 * each), and on Mondays the instructors' summary of the week. The mornings are jobs due later, taken up here by
 * asking the notifier what is due at a later time (each call runs the one morning due then).
 */
let world: World
let page: ReturnType<typeof pageAs>
let form: ReturnType<typeof formAs>
const tag = randomBytes(3).toString('hex')
const nextMorning = async (at: Date) => { await runDueBy(world.app, at) }

beforeAll(async () => {
  world = await startWorld()
  page = pageAs(world)
  form = formAs(world)
})
afterAll(async () => { await world?.close() })

it('reminds the students whose intake is empty, when the instructor asks', async () => {
  await deleteMessages('subject:"Tell us about your goals"')
  expect((await form('instructor', '/instructor/pairing/remind', {})).status).toBe(303)
  await world.app.settled()
  const sent = await waitForMessages('subject:"Tell us about your goals before you are paired with a mentor — Course A"', 3)
  expect(sent.map((m) => m.To[0]?.Address).sort()).toEqual(['s1@example.edu', 's2@example.edu', 's3@example.edu'])
  expect((await getMessage(sent[0]?.ID ?? '')).Text).toContain('fill in Intake')
  expect((await page('s2', '/notifications')).html).toContain('href="/student/intake?session')
})

it('tells students and mentors of a milestone a few days ahead, once', async () => {
  const title = `Mid-term review ${tag}`
  await world.app.db.models.courses.updateOne({ _id: new Types.ObjectId(world.people.instructor?.courseId) }, { $set: { 'term.milestones': [{ title, date: day(2) }] } })
  await nextMorning(inDays(20))
  const sent = await waitForMessages(`subject:"${title}"`, 5)
  expect(sent.map((m) => m.To[0]?.Address).sort()).toEqual(['m1@example.edu', 'm2@example.edu', 's1@example.edu', 's2@example.edu', 's3@example.edu'])
  expect((await getMessage(sent[0]?.ID ?? '')).Text).toContain(title)
  await nextMorning(inDays(21))
  expect(await searchMessages(`subject:"${title}"`)).toHaveLength(5)
  expect((await page('m2', '/notifications')).html).toContain(title)
})

it('sends the instructors the week on a Monday morning, and only then', async () => {
  // Other test files' worlds have a Course A with the same instructor address: this course's emails carry its id.
  const ours = async () => (await searchMessages('to:instructor@example.edu subject:"Your week in Course A"'))
    .filter((m) => m.MessageID.includes(world.people.instructor?.courseId ?? '-'))
  for (let i = 0; i < 8 && (await ours()).length === 0; i++) await nextMorning(inDays(40 + i))
  const [summary] = await ours()
  expect(summary?.Subject).toMatch(/^Your week in Course A: \d of 3 students active, \d pairs at risk$/)
  const letter = await getMessage(summary?.ID ?? '')
  expect(letter.Text).toContain('Entries waiting for a mentor to verify them: 0')
  expect(letter.Text).toContain(`/go/${world.people.instructor?.courseId ?? ''}/instructor`)
  for (let i = 0; i < 5; i++) await nextMorning(inDays(50 + i))
  expect(await ours()).toHaveLength(1)
  const go = await fetch(/(http:\/\/\S+\/go\/\S+)/.exec(letter.Text)?.[1] ?? '')
  expect(go.status).toBe(200)
})
