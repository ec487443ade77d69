import type { FastifyInstance } from 'fastify'
import type { Simulator } from '@mentorlink/simulator'
import { addDays, today } from '../../src/domain/term/calendar-day'
import { launchAs, seedCourse, startLmsFor } from '../helpers/lms'
import { startTestApp } from '../helpers/test-app'
import { courseOf, waitFor, waitForSync } from '../roster/support'

/**
 * A session holds only while the LMS still has the person in the course in the session's role: a student dropped
 * from the course or an instructor demoted loses their session at their next request once Mentorlink learns it (a
 * roster sync in this process: at once; a change another process made: within SESSION_MEMBERSHIP_CHECK_SECONDS).
 * Sign-out ends a session for good, even when the person launches again.
 */
let app: FastifyInstance
let sim: Simulator
const tool = { clientId: 'client-1', deploymentId: 'deploy-1' }
const COURSE = 'sess101'
const CHECK_SECONDS = 1

beforeAll(async () => {
  app = await startTestApp({ SESSION_MEMBERSHIP_CHECK_SECONDS: String(CHECK_SECONDS) })
  sim = await startLmsFor(app, tool)
  seedCourse(sim, COURSE, [
    { id: 'prof', name: 'Amara Okafor', roles: ['Instructor'] },
    { id: 'ta', name: 'Tomas Alvarez', roles: ['Instructor'] },
    { id: 'coach', name: 'Daniel Reyes', roles: ['Mentor'] },
    { id: 's1', name: 'Lucia Ferreira', roles: ['Learner'] },
    { id: 's2', name: 'Noah Brandt', roles: ['Learner'] },
    { id: 's3', name: 'Ines Duarte', roles: ['Learner'] }
  ])
  const course = sim.state.courses.get(COURSE)
  if (course) course.custom = { term_start: addDays(today(), -30), term_end: addDays(today(), 60) }
})

afterAll(async () => {
  await sim?.close()
  await app?.close()
})

const launch = async (userId: string): Promise<string> => {
  const result = await launchAs(sim, { ...tool, courseId: COURSE, userId })
  expect(result.home?.status).toBe(200)
  return result.sessionToken ?? ''
}
const page = async (token: string, path: string) => {
  const res = await fetch(`${app.config.publicUrl}${path}?session=${encodeURIComponent(token)}`, { headers: { accept: 'text/html' } })
  return { status: res.status, html: await res.text() }
}
const api = async (token: string, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${app.config.publicUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {})
  })
  return { status: res.status, body: await res.json() as Record<string, unknown> }
}
const activity = () => ({ kind: 'session', date: addDays(today(), -1), durationMinutes: 45, topics: ['Negotiation'] })
const syncNow = async (instructorToken: string): Promise<void> => {
  expect((await api(instructorToken, 'POST', '/api/v1/roster/sync')).status).toBe(200)
}
const ENDED = /Your place in Course sess101 has changed since you signed in .*Open Mentorlink from your course in the learning platform again\./

let profToken = ''
beforeAll(async () => {
  profToken = await launch('prof')
  await waitForSync(app, COURSE) // the first instructor launch syncs the roster
})

it('ends a dropped student\'s session at their next page or API call once a roster sync has run', async () => {
  const token = await launch('s1')
  expect((await page(token, '/student')).status).toBe(200)
  expect((await api(token, 'POST', '/api/v1/activities', activity())).status).toBe(201)

  sim.setMemberStatus(COURSE, 's1', 'Removed')
  await syncNow(profToken)

  const refused = await api(token, 'POST', '/api/v1/activities', activity())
  expect(refused.status).toBe(401)
  expect(refused.body).toMatchObject({ error: 'SESSION_ENDED' })
  expect(String(refused.body.message)).toMatch(ENDED)
  const home = await page(token, '/student')
  expect(home.status).toBe(401)
  expect(home.html).toContain('Your session has ended')
  // Ended, not just refused: the session stays ended if the membership comes back, until the student launches again.
  sim.state.courses.get(COURSE)?.members.push({ userId: 's1', roles: ['Learner'], status: 'Active' })
  await syncNow(profToken)
  expect((await page(token, '/student')).status).toBe(401)
  const again = await launch('s1')
  expect((await api(again, 'POST', '/api/v1/activities', activity())).status).toBe(201)
})

it('ends a session when the LMS lists the student as inactive', async () => {
  const token = await launch('s2')
  expect((await page(token, '/student')).status).toBe(200)
  sim.setMemberStatus(COURSE, 's2', 'Inactive')
  await syncNow(profToken)
  expect((await api(token, 'GET', '/api/v1/me')).status).toBe(401)
})

it('ends a demoted instructor\'s session; they come back as what the LMS now says they are', async () => {
  const token = await launch('ta')
  expect((await page(token, '/instructor')).status).toBe(200)
  const member = sim.state.courses.get(COURSE)?.members.find((m) => m.userId === 'ta')
  if (member) member.roles = ['Learner']
  await syncNow(profToken)

  const refused = await page(token, '/instructor/roster')
  expect(refused.status).toBe(401)
  expect(refused.html).toMatch(ENDED)
  expect((await api(token, 'POST', '/api/v1/roster/sync')).status).toBe(401)
  const asStudent = await launch('ta')
  expect((await page(asStudent, '/student')).status).toBe(200)
  expect((await page(asStudent, '/instructor')).status).toBe(403)
})

it('sees a change another process made (a roster sync there) within the check\'s lifetime', async () => {
  const token = await launch('s3')
  expect((await page(token, '/student')).status).toBe(200)
  // As another app process's roster sync leaves it: this process was not told.
  const course = await courseOf(app, COURSE)
  const user = await app.db.models.users.findOne({ issuer: course.issuer, sub: 's3' }).lean()
  await app.db.models.memberships.updateOne({ courseId: course._id, userId: user?._id }, { $set: { status: 'dropped' } })
  const started = Date.now()
  await waitFor(async () => (await api(token, 'GET', '/api/v1/me')).status === 401, 'the session to end', 10_000)
  expect(Date.now() - started).toBeLessThan(CHECK_SECONDS * 1000 + 2000)
  expect((await page(token, '/student')).status).toBe(401)
})

it('shows Sign out to every role; signing out ends the session for good and says how to come back', async () => {
  const mentor = await launch('coach')
  for (const [token, path] of [[profToken, '/instructor'], [mentor, '/mentor']] as const) {
    const { status, html } = await page(token, path)
    expect(status).toBe(200)
    expect(html).toMatch(/<form method="post" action="\/sign-out" class="sign-out"><input type="hidden" name="session" value="[^"]+"><button type="submit" class="link-button">Sign out<\/button><\/form>/)
  }
  const out = await fetch(`${app.config.publicUrl}/sign-out`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, body: new URLSearchParams({ session: mentor }).toString()
  })
  expect(out.status).toBe(200)
  const html = await out.text()
  expect(html).toContain('You are signed out')
  expect(html).toContain('open Mentorlink from their course')
  expect((await page(mentor, '/mentor')).status).toBe(401)
  expect((await api(mentor, 'GET', '/api/v1/me')).status).toBe(401)

  // Launching again renews the same session for the new token only: the signed-out one stays dead.
  const renewed = await launch('coach')
  expect((await page(renewed, '/mentor')).status).toBe(200)
  expect((await page(mentor, '/mentor')).status).toBe(401)
})
