import { randomBytes } from 'node:crypto'
import { getMessage, searchMessages } from '../helpers/mailpit'
import { eventually } from '../grades/support'
import { apiAs, day, pageAs, startWorld, type World } from '../activities/support'
import { inDays, runDueBy } from '../notifications/later'
import { ratingsFor } from './support'

/**
 * A few days before an assessment point is due, the course's morning reminds the students who have not rated
 * themselves and the mentors who have not rated every mentee, once, by email and in the app.
 */
let world: World
let api: ReturnType<typeof apiAs>
const tag = randomBytes(3).toString('hex')

beforeAll(async () => {
  world = await startWorld()
  api = apiAs(world)
})
afterAll(async () => { await world?.close() })

it('reminds only who has not submitted, once per point', async () => {
  const title = `Mid-term review ${tag}`
  expect((await api('instructor', 'PUT', '/api/v1/term', { milestones: [{ title, date: day(2) }] })).status).toBe(200)
  const keys = ((await api('s1', 'GET', '/api/v1/competencies')).body.competencies as Array<{ key: string }>).map((c) => c.key)
  expect((await api('s1', 'POST', '/api/v1/assessments', { point: 'mid', ratings: ratingsFor(keys) })).status).toBe(201)
  expect((await api('m2', 'POST', '/api/v1/assessments', { point: 'mid', studentUserId: world.people.s3?.userId, ratings: ratingsFor(keys) })).status).toBe(201)
  await runDueBy(world.app, inDays(20))
  const subject = `subject:"Mid-term assessment due" subject:"Course A" to:example.edu`
  const ours = async () => (await searchMessages(subject)).filter((m) => m.MessageID.includes(world.people.instructor?.courseId ?? '-'))
  // Other test files' worlds send the same subject to the same addresses: this course's reminders are told by their Message-ID.
  const sent = await eventually(async () => {
    const found = await ours()
    // S1 rated themselves, M2 rated their only mentee: S2, S3 and M1 (for S1 and S2) are reminded.
    expect(found.map((m) => m.To[0]?.Address).sort()).toEqual(['m1@example.edu', 's2@example.edu', 's3@example.edu'])
    return found
  }, 10_000)
  const mentorMail = await getMessage(sent.find((m) => m.To[0]?.Address === 'm1@example.edu')?.ID ?? '')
  expect(mentorMail.Text).toContain('2 of your mentees wait for your ratings for the Mid-term assessment')
  await runDueBy(world.app, inDays(21))
  expect(await ours()).toHaveLength(3)
  expect((await pageAs(world)('s2', '/notifications')).html).toContain('Rate yourself on the course&#x27;s competencies (Mid-term)')
})
