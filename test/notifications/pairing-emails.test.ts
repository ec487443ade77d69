import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { Types } from 'mongoose'
import type { Simulator } from '@mentorlink/simulator'
import { callApi, postForm } from '../helpers/http'
import { launchAs, seedCourse, startLmsFor } from '../helpers/lms'
import { getHeaders, getMessage, searchMessages, waitForMessages } from '../helpers/mailpit'
import { startTestApp } from '../helpers/test-app'

/**
 * Pairing emails end to end: the instructor publishes, each student hears who their mentor is and each mentor who
 * their mentees are, through the real mail server; one click on the unsubscribe header stops that kind for that
 * address only; a move tells the student, the new mentor and the one left.
 */
let app: FastifyInstance
let sim: Simulator
const tool = { clientId: 'client-1', deploymentId: 'deploy-1' }
const tag = randomBytes(3).toString('hex')
const who = (id: string): string => `${id}-${tag}`
const address = (id: string): string => `${who(id)}@example.edu`
const tokens: Record<string, string> = {}
const ids: Record<string, string> = {}

const api = async (id: string, method: string, path: string, body?: unknown) => await callApi(app.config.publicUrl, tokens[id] ?? '', method, path, body)

beforeAll(async () => {
  app = await startTestApp({ LOG_LEVEL: 'error' })
  sim = await startLmsFor(app, tool)
  seedCourse(sim, `mail-${tag}`, [
    { id: who('prof'), name: 'Amara Okafor', roles: ['Instructor'] },
    { id: who('s1'), name: 'Lucia Ferreira', roles: ['Learner'] },
    { id: who('s2'), name: 'Tomasz Nowak', roles: ['Learner'] }
  ])
  for (const id of ['prof', 's1', 's2']) {
    const launched = await launchAs(sim, { ...tool, courseId: `mail-${tag}`, userId: who(id) })
    if (!launched.sessionToken) throw new Error(`launch of ${id} failed`)
    tokens[id] = launched.sessionToken
    ids[id] = String((await app.db.models.users.findOne({ sub: who(id) }, { _id: 1 }).lean())?._id)
  }
  const course = await app.db.models.courses.findOne({ contextId: `mail-${tag}` }).lean()
  const pool = await app.db.models.pools.create({ issuer: course?.issuer, clientId: course?.clientId, deploymentId: course?.deploymentId, ownerCourseId: course?._id })
  await app.db.models.courses.updateOne({ _id: course?._id }, { $set: { poolId: pool._id, title: 'MGT 540 Executive Mentoring' } })
  const [daniel, grace] = await app.db.models.mentors.insertMany([
    { poolId: pool._id, name: 'Daniel Reyes', email: address('daniel'), organisation: 'Acme Shipping', expertise: ['negotiation'], capacity: 1, source: 'external' },
    { poolId: pool._id, name: 'Grace Ode', email: address('grace'), organisation: 'Borealis Law', expertise: ['rhetoric'], capacity: 2, source: 'external' }
  ])
  ids.daniel = String(daniel?._id)
  ids.grace = String(grace?._id)
  await app.db.models.intakes.create({ courseId: course?._id, studentUserId: new Types.ObjectId(ids.s1), interests: ['negotiation'], shortTermGoal: 'Lead a supplier negotiation' })
})
afterAll(async () => {
  await app?.close()
  await sim?.close()
})

it('tells each student their mentor and each mentor their mentees when the pairing is published', async () => {
  const run = await api('prof', 'POST', '/api/v1/pairing/runs')
  expect(run.status).toBe(201)
  expect((await postForm(app.config.publicUrl, tokens.prof ?? '', '/instructor/pairing/publish', { runId: run.body.runId, confirm: 'on' })).status).toBe(303)
  await app.settled()
  const pairs = new Map((await app.db.models.pairings.find({ status: 'active' }).lean()).map((p) => [String(p.studentUserId), String(p.mentorId)]))
  const mentorOf = (s: string) => pairs.get(ids[s] ?? '') === ids.daniel ? 'Daniel Reyes' : 'Grace Ode'

  const [toLucia] = await waitForMessages(`to:${address('s1')}`)
  expect(toLucia?.Subject).toBe(`Your mentor in MGT 540 Executive Mentoring: ${mentorOf('s1')}`)
  const letter = await getMessage(toLucia?.ID ?? '')
  expect(letter.Text).toContain('Hello Lucia Ferreira')
  expect(letter.Text).toContain(mentorOf('s1') === 'Daniel Reyes' ? address('daniel') : address('grace'))
  expect(letter.HTML).toContain('lang="en"')
  expect(letter.Text).toContain(`${app.config.publicUrl}/go/`)
  expect(letter.ListUnsubscribe.HeaderPost).toBe('List-Unsubscribe=One-Click')

  const mentorMail = [...await waitForMessages(`to:${address('daniel')}`), ...await waitForMessages(`to:${address('grace')}`)]
  expect(mentorMail.map((m) => m.Subject).join(' | ')).toMatch(/Your new mentee in MGT 540 Executive Mentoring: (Lucia Ferreira|Tomasz Nowak)/)
  const toLuciasMentor = await getMessage(mentorMail.find((m) => m.To[0]?.Address === (mentorOf('s1') === 'Daniel Reyes' ? address('daniel') : address('grace')))?.ID ?? '')
  expect(toLuciasMentor.Text).toContain('Lucia Ferreira')
  expect(toLuciasMentor.Text).toContain('Goals: Lead a supplier negotiation')

  // The email's link lands on a page that says how to open Mentorlink in this course.
  const go = await fetch(/(http:\/\/\S+\/go\/\S+)/.exec(letter.Text)?.[1] ?? '')
  expect(go.status).toBe(200)
  expect(await go.text()).toContain('Open Mentorlink from MGT 540 Executive Mentoring')
})

it('stops that kind of email for that address only, with one click and no cookie', async () => {
  const [toLucia] = await searchMessages(`to:${address('s1')}`)
  const headers = await getHeaders(toLucia?.ID ?? '')
  const link = /<([^>]+)>/.exec(headers['List-Unsubscribe']?.[0] ?? '')?.[1] ?? ''
  expect(link).toContain('/email/unsubscribe?')
  // Opening the link (a scanner would) changes nothing; the page asks first.
  const page = await fetch(link)
  expect(await page.text()).toContain('Stop emails about who you are paired with?')
  expect(await app.db.models.mailPreferences.countDocuments({ _id: address('s1') })).toBe(0)
  const forged = await fetch(link.replace(/s=[^&]+/, 's=forged'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' })
  expect(forged.status).toBe(400)
  const oneClick = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' })
  expect(oneClick.status).toBe(200)
  expect(await oneClick.text()).toContain('You are unsubscribed')
  // Opening the link again says so, and offers to get the emails again.
  const again = await (await fetch(link)).text()
  expect(again).toContain('You are unsubscribed')
  expect(again).toContain('Get these emails again')

  // A move: Lucia turned pairing emails off; both mentors still hear of it.
  const pairs = new Map((await app.db.models.pairings.find({ status: 'active' }).lean()).map((p) => [String(p.studentUserId), String(p.mentorId)]))
  const from = pairs.get(ids.s1 ?? '')
  const to = from === ids.daniel ? ids.grace : ids.daniel
  if (to === ids.daniel) {
    // Daniel has one seat: free it by moving his mentee to Grace first.
    const other = [...pairs].find(([, m]) => m === ids.daniel)?.[0]
    expect((await api('prof', 'POST', '/api/v1/pairing/changes', { action: 'move', studentId: other, mentorId: ids.grace, reason: 'Make room' })).status).toBe(204)
  }
  const moved = await api('prof', 'POST', '/api/v1/pairing/changes', { action: 'move', studentId: ids.s1, mentorId: to, reason: 'Closer to her goals' })
  expect(moved.status).toBe(204)
  await app.settled()
  const newMentor = to === ids.daniel ? address('daniel') : address('grace')
  const oldMentor = to === ids.daniel ? address('grace') : address('daniel')
  expect((await waitForMessages(`to:${newMentor} subject:"Your new mentee"`, to === ids.daniel ? 1 : 2)).length).toBeGreaterThan(0)
  expect((await waitForMessages(`to:${oldMentor} subject:"has another mentor"`)).map((m) => m.Subject)).toContain('Lucia Ferreira has another mentor in MGT 540 Executive Mentoring')
  expect(await searchMessages(`to:${address('s1')}`)).toHaveLength(1)

  // Subscribed again, Lucia hears of the next change.
  const back = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'choice=on' })
  expect(await back.text()).toContain('You get these emails again')
  expect(await app.db.models.mailPreferences.countDocuments({ _id: address('s1'), off: 'pairing' })).toBe(0)
})

it('lists the emails that did not arrive on the Roster page, with the reason', async () => {
  const courseId = String((await app.db.models.courses.findOne({ contextId: `mail-${tag}` }, { _id: 1 }).lean())?._id)
  await app.mail.queue.fail({
    emailId: `failed-${tag}`, kind: 'pairing', courseId, to: `gone-${tag}@example.edu`, subject: 'Your mentor in MGT 540 Executive Mentoring: Grace Ode',
    state: 'failed', error: '550 5.1.1 mailbox unavailable', at: new Date()
  })
  const page = await fetch(`${app.config.publicUrl}/instructor/roster?session=${encodeURIComponent(tokens.prof ?? '')}`, { headers: { accept: 'text/html' } })
  const html = await page.text()
  expect(html).toContain('Emails that did not arrive')
  expect(html).toContain(`gone-${tag}@example.edu`)
  expect(html).toContain('550 5.1.1 mailbox unavailable')
})
