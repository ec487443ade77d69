import type { FastifyInstance } from 'fastify'
import { Types } from 'mongoose'
import { addDays, today } from '../../src/domain/term/calendar-day'
import type { SimRole, Simulator } from '@mentorlink/simulator'
import { callApi, type JsonAnswer } from '../helpers/http'
import { launchAs, startLmsFor } from '../helpers/lms'
import { startTestApp } from '../helpers/test-app'
import { instantOfWallTime, placeTimeText } from '../../src/domain/time/zones'

/**
 * Two courses in one LMS. Course A (term from the LMS's custom parameters, around today): an instructor, mentors
 * M1 (students S1, S2) and M2 (student S3). Course B (no term from the LMS): its own instructor, mentor and student.
 * Pairings are published straight into the pairing model, as the pairing workflow would.
 */
export const TERM = { start: addDays(today(), -30), end: addDays(today(), 60) }

interface PersonSpec { key: string, name: string, role: SimRole, course: 'A' | 'B' }
const PEOPLE: PersonSpec[] = [
  { key: 'instructor', name: 'Amara Okafor', role: 'Instructor', course: 'A' },
  { key: 'm1', name: 'Daniel Reyes', role: 'Mentor', course: 'A' },
  { key: 'm2', name: 'Helena Berg', role: 'Mentor', course: 'A' },
  { key: 's1', name: 'Lucia Ferreira', role: 'Learner', course: 'A' },
  { key: 's2', name: 'Tomasz Nowak', role: 'Learner', course: 'A' },
  { key: 's3', name: 'Priya Raman', role: 'Learner', course: 'A' },
  { key: 'bInstructor', name: 'Bea Instructor', role: 'Instructor', course: 'B' },
  { key: 'bMentor', name: 'Bo Mentor', role: 'Mentor', course: 'B' },
  { key: 'bStudent', name: 'Ben Student', role: 'Learner', course: 'B' }
]
const PAIRS = { A: [['m1', 's1'], ['m1', 's2'], ['m2', 's3']], B: [['bMentor', 'bStudent']] } as const
const tool = { clientId: 'client-1', deploymentId: 'deploy-1' }

export interface Person { key: string, name: string, token: string, userId: string, courseId: string }
export interface World {
  app: FastifyInstance
  sim: Simulator
  people: Record<string, Person>
  /** Pool mentor ids by person key. */
  mentorIds: Record<string, string>
  close: () => Promise<void>
}

/** `customA`: course A's custom parameters instead of the term around today; `timeZones`: what the LMS knows of people's zones. */
export interface WorldOptions { customA?: Record<string, string>, timeZones?: Record<string, string>, config?: Record<string, string> }

export async function startWorld ({ customA, timeZones = {}, config = {} }: WorldOptions = {}): Promise<World> {
  const app = await startTestApp(config)
  const sim = await startLmsFor(app, tool)
  for (const p of PEOPLE) {
    const [givenName = p.name, familyName = ''] = p.name.split(' ')
    const timeZone = timeZones[p.key]
    sim.addUser({ id: p.key, name: p.name, givenName, familyName, email: `${p.key}@example.edu`, ...(timeZone !== undefined ? { timeZone } : {}) })
  }
  const members = (course: 'A' | 'B') => PEOPLE.filter((p) => p.course === course).map((p) => ({ userId: p.key, roles: [p.role], status: 'Active' as const }))
  sim.addCourse({ id: 'course-a', label: 'A', title: 'Course A', members: members('A'), custom: customA ?? { term_start: TERM.start, term_end: TERM.end } })
  sim.addCourse({ id: 'course-b', label: 'B', title: 'Course B', members: members('B') })

  const people: Record<string, Person> = {}
  // Instructors last: their launch starts a background roster sync, which must not race a launch creating a user.
  for (const p of [...PEOPLE].sort((a, b) => Number(a.role === 'Instructor') - Number(b.role === 'Instructor'))) {
    const result = await launchAs(sim, { ...tool, courseId: p.course === 'A' ? 'course-a' : 'course-b', userId: p.key })
    if (!result.sessionToken) throw new Error(`launch of ${p.key} failed: ${result.launch.status} ${result.launchBody}`)
    const user = await app.db.models.users.findOne({ sub: p.key }).lean()
    const course = await app.db.models.courses.findOne({ contextId: p.course === 'A' ? 'course-a' : 'course-b' }).lean()
    people[p.key] = { key: p.key, name: p.name, token: result.sessionToken, userId: String(user?._id), courseId: String(course?._id) }
  }

  const mentorIds: Record<string, string> = {}
  for (const course of ['A', 'B'] as const) {
    const courseId = new Types.ObjectId(people[course === 'A' ? 'instructor' : 'bInstructor']?.courseId)
    const pool = await app.db.models.pools.create({ ...tool, issuer: sim.issuer, name: course, ownerCourseId: courseId })
    await app.db.models.courses.updateOne({ _id: courseId }, { $set: { poolId: pool._id } })
    for (const [mentorKey, studentKey] of PAIRS[course]) {
      const mentor = people[mentorKey] as Person
      if (!mentorIds[mentorKey]) {
        const doc = await app.db.models.mentors.create({ poolId: pool._id, name: mentor.name, email: `${mentorKey}@example.edu`, capacity: 5, source: 'lms', userId: new Types.ObjectId(mentor.userId) })
        mentorIds[mentorKey] = String(doc._id)
      }
      await app.db.models.pairings.create({
        courseId, studentUserId: new Types.ObjectId(people[studentKey]?.userId), mentorId: new Types.ObjectId(mentorIds[mentorKey]), status: 'active', source: 'run', publishedAt: new Date()
      })
    }
  }
  for (const course of ['A', 'B'] as const) {
    const pairs = PAIRS[course].map(([, student]) => people[student]?.userId ?? '')
    // What the pairing service announces after it publishes, so that what is kept from events follows.
    await app.events.publish({ type: 'PairingPublished', courseId: people[course === 'A' ? 'instructor' : 'bInstructor']?.courseId ?? '', runId: 'fixture', studentUserIds: pairs })
  }
  return { app, sim, people, mentorIds, close: async () => { await sim.close(); await app.close() } }
}

/** Calls the JSON API as a person, with their session token as a bearer token. */
export function apiAs (world: World) {
  return async (who: string, method: string, path: string, body?: unknown): Promise<JsonAnswer> =>
    await callApi(world.app.config.publicUrl, world.people[who]?.token ?? '', method, path, body)
}

/** Opens a page as a person (the session token in the link, as pages do). */
export function pageAs (world: World) {
  return async (who: string, path: string): Promise<{ status: number, html: string }> => {
    const url = `${world.app.config.publicUrl}${path}${path.includes('?') ? '&' : '?'}session=${encodeURIComponent(world.people[who]?.token ?? '')}`
    const res = await fetch(url, { headers: { accept: 'text/html' } })
    return { status: res.status, html: await res.text() }
  }
}

/** Posts a form as a person (the session token in a hidden field, as pages do); redirects are not followed. */
export function formAs (world: World) {
  return async (who: string, path: string, fields: Record<string, string | string[]>): Promise<{ status: number, html: string, location: string | null }> => {
    const body = new URLSearchParams({ session: world.people[who]?.token ?? '' })
    for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(name, v)
    const res = await fetch(`${world.app.config.publicUrl}${path}`, {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, body: body.toString()
    })
    return { status: res.status, html: await res.text(), location: res.headers.get('location') }
  }
}

export const day = (offset: number): string => addDays(today(), offset)

/** A wall time `offset` days from today in `zone`, as messages and pages say it: "Wed 16 Dec 2026, 10:00 Berlin time". */
export function placeTime (offset: number, clock: string, zone = 'UTC'): string {
  const local = instantOfWallTime(`${day(offset)}T${clock}`, zone)
  if (!local.ok) throw new Error(`${day(offset)}T${clock} is no time in ${zone}`)
  return placeTimeText(local.at, zone)
}

/** Every visible control has a label tied to it, and the page has one h1 and a main landmark. */
export function expectAccessible (html: string): void {
  expect(html.match(/<h1[\s>]/g)).toHaveLength(1)
  expect(html).toContain('<main id="main"')
  for (const [, tag, type, control] of html.matchAll(/<(input|select|textarea)[^>]*?(?:type="([^"]+)")?[^>]*\sid="([^"]+)"/g)) {
    if (type === 'hidden' || tag === undefined) continue
    expect(html).toContain(`for="${control as string}"`)
  }
}

/** Opens the page a form post redirected to, as the same person. */
export function followAs (world: World) {
  const page = pageAs(world)
  return async (who: string, location: string | null): Promise<{ status: number, html: string }> => {
    const url = new URL(location ?? '/', world.app.config.publicUrl)
    url.searchParams.delete('session')
    return await page(who, `${url.pathname}${url.search}`)
  }
}

/** A moment `minutes` from now (negative: ago) as the trip form and API take it, YYYY-MM-DDTHH:MM (UTC). */
export const minutesFromNow = (minutes: number): string => new Date(Date.now() + minutes * 60_000).toISOString().slice(0, 16)
