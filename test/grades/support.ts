import type { FastifyInstance } from 'fastify'
import { Types } from 'mongoose'
import { addDays, today } from '../../src/domain/term/calendar-day'
import { startSimulator, type ScoreRecord, type SimRole, type Simulator, type SimulatorOptions } from '@mentorlink/simulator'
import { callApi, postForm, type JsonAnswer } from '../helpers/http'
import { connectTool, launchAs } from '../helpers/lms'
import { QUICK_RULES } from '../helpers/quick-rules'
import { startTestApp } from '../helpers/test-app'

/** Fast retries, short leases and timeouts, so fault tests finish in seconds. */
export const FAST_GRADES = {
  GRADE_RETRY_BASE_MS: '50',
  GRADE_RETRY_MAX_SECONDS: '2',
  GRADE_POLL_MS: '100',
  GRADE_IDLE_POLL_MAX_MS: '100',
  GRADE_REQUEST_TIMEOUT_MS: '1000',
  GRADE_LEASE_SECONDS: '3',
  COMPLETION_RETRY_SECONDS: '1'
}

const LAUNCHES_AT_ONCE = 4
export const COURSE = 'mgt600'
export const OTHER_COURSE = 'other101'
const tool = { clientId: 'client-1', deploymentId: 'deploy-1' }
export const TERM = { start: addDays(today(), -30), end: addDays(today(), 60) }
export const day = (offset: number): string => addDays(today(), offset)

export interface Person { key: string, token: string, userId: string }

export interface GradeWorld {
  app: FastifyInstance
  sim: Simulator
  /** Mentorlink's id of the course. */
  courseId: string
  people: Record<string, Person>
  students: string[]
  api: (who: string, method: string, path: string, body?: unknown) => Promise<JsonAnswer>
  page: (who: string, path: string) => Promise<{ status: number, html: string }>
  form: (who: string, path: string, fields: Record<string, string>) => Promise<{ status: number, html: string, location: string | null }>
  /** The latest score per student key in the simulator's gradebook. */
  gradebook: () => Map<string, ScoreRecord>
  close: () => Promise<void>
}

export interface WorldOptions {
  students?: number
  env?: Record<string, string>
  /** A graded assignment the LMS names in every launch (deep-linked), instead of the column Mentorlink creates. */
  launchLineItem?: boolean
  staleScoreStatus?: number
  /** Which LMS to simulate, and its throttling. */
  simulator?: SimulatorOptions
}

/**
 * One course in the simulated LMS: instructor `inst`, mentor `m1` paired with every student `s1`…`sN`, and a
 * second course with its own instructor `other`. Everyone has launched once.
 */
export async function startGradeWorld (options: WorldOptions = {}): Promise<GradeWorld> {
  const app = await startTestApp({ ...FAST_GRADES, ...options.env })
  const sim = await startSimulator({ host: '127.0.0.1', port: 0, staleScoreStatus: options.staleScoreStatus, ...options.simulator })
  await connectTool(app, sim, tool)
  const students = Array.from({ length: options.students ?? 3 }, (_, i) => `s${i + 1}`)
  const roles: Array<[string, SimRole, string]> = [['inst', 'Instructor', COURSE], ['m1', 'Mentor', COURSE], ...students.map((s): [string, SimRole, string] => [s, 'Learner', COURSE]), ['other', 'Instructor', OTHER_COURSE]]
  for (const [key] of roles) sim.addUser({ id: key, name: `Person ${key.toUpperCase()}`, givenName: 'Person', familyName: key.toUpperCase(), email: `${key}@example.edu` })
  const members = (course: string) => roles.filter((r) => r[2] === course).map(([userId, role]) => ({ userId, roles: [role], status: 'Active' as const }))
  sim.addCourse({ id: COURSE, label: 'MGT600', title: 'Executive mentoring', members: members(COURSE), custom: { term_start: TERM.start, term_end: TERM.end } })
  sim.addCourse({ id: OTHER_COURSE, label: 'OTHER', title: 'Other course', members: members(OTHER_COURSE) })
  if (options.launchLineItem === true) sim.addLineItem(COURSE, { label: 'Mentoring (assignment)', scoreMaximum: 100, resourceLinkId: `rl-${COURSE}` })

  const people: Record<string, Person> = {}
  const launch = async ([key, , course]: [string, SimRole, string]): Promise<void> => {
    const launched = await launchAs(sim, { ...tool, courseId: course, userId: key })
    if (!launched.sessionToken) throw new Error(`launch of ${key} failed: ${launched.launch.status} ${launched.launchBody}`)
    const user = await app.db.models.users.findOne({ sub: key }).lean()
    people[key] = { key, token: launched.sessionToken, userId: String(user?._id) }
  }
  // The instructor's launch creates the course; the others can then launch a few at a time.
  const [first, ...others] = roles
  await launch(first as [string, SimRole, string])
  for (let i = 0; i < others.length; i += LAUNCHES_AT_ONCE) await Promise.all(others.slice(i, i + LAUNCHES_AT_ONCE).map(launch))
  const course = await app.db.models.courses.findOne({ contextId: COURSE }).lean()
  const courseId = String(course?._id)
  await pairEveryone(app, sim, courseId, people, students)

  const url = (path: string) => `${app.config.publicUrl}${path}`
  return {
    app,
    sim,
    courseId,
    people,
    students,
    api: async (who, method, path, body) => await callApi(app.config.publicUrl, people[who]?.token ?? '', method, path, body),
    page: async (who, path) => {
      const res = await fetch(url(`${path}${path.includes('?') ? '&' : '?'}session=${encodeURIComponent(people[who]?.token ?? '')}`), { headers: { accept: 'text/html' } })
      return { status: res.status, html: await res.text() }
    },
    form: async (who, path, fields) => await postForm(app.config.publicUrl, people[who]?.token ?? '', path, fields),
    gradebook: () => new Map(sim.gradebook(COURSE).map((s) => [s.userId, s])),
    close: async () => { await app.close(); await sim.close() }
  }
}

/** Mentor m1 of every student, as a published pairing. */
async function pairEveryone (app: FastifyInstance, sim: Simulator, courseId: string, people: Record<string, Person>, students: string[]): Promise<void> {
  const pool = await app.db.models.pools.create({ ...tool, issuer: sim.issuer, name: 'Pool', ownerCourseId: new Types.ObjectId(courseId) })
  await app.db.models.courses.updateOne({ _id: courseId }, { $set: { poolId: pool._id } })
  const mentor = await app.db.models.mentors.create({ poolId: pool._id, name: 'Person M1', email: 'm1@example.edu', capacity: 50, source: 'lms', userId: new Types.ObjectId(people.m1?.userId) })
  await app.db.models.pairings.insertMany(students.map((s) => ({
    courseId: new Types.ObjectId(courseId), studentUserId: new Types.ObjectId(people[s]?.userId), mentorId: mentor._id, status: 'active', source: 'run', publishedAt: new Date()
  })))
  // What the pairing service announces after it publishes, so that what is kept from events follows.
  await app.events.publish({ type: 'PairingPublished', courseId, runId: 'fixture', studentUserIds: students.map((s) => people[s]?.userId ?? '') })
}

export { QUICK_RULES }

export async function saveRules (world: GradeWorld, rules: unknown = QUICK_RULES): Promise<JsonAnswer> {
  const res = await world.api('inst', 'PUT', '/api/v1/completion/rules', rules)
  if (res.status !== 200) throw new Error(`saving rules answered ${res.status}: ${JSON.stringify(res.body)}`)
  return res
}

/** The mentor records a 1:1 session for the student: verified at once. */
export async function recordSession (world: GradeWorld, student: string): Promise<void> {
  const res = await world.api('m1', 'POST', '/api/v1/activities', {
    kind: 'session', studentUserId: world.people[student]?.userId, date: day(-1), durationMinutes: 60, topics: ['Career']
  })
  if (res.status !== 201) throw new Error(`recording a session answered ${res.status}: ${JSON.stringify(res.body)}`)
}

export async function writeReflection (world: GradeWorld, student: string): Promise<void> {
  const res = await world.api(student, 'POST', '/api/v1/reflections', { date: day(-1), text: 'What I learned this term' })
  if (res.status !== 201) throw new Error(`writing a reflection answered ${res.status}: ${JSON.stringify(res.body)}`)
}

/** Polls until `check` stops throwing, or rethrows its last error after `timeoutMs`. */
export async function eventually<T> (check: () => T | Promise<T>, timeoutMs = 20_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      return await check()
    } catch (err) {
      if (Date.now() > deadline) throw err
      await new Promise((resolve) => setTimeout(resolve, intervalMs))
    }
  }
}

/** Accepted scores of one student, oldest first: each must be newer than the one before and never lower. */
export function historyOf (world: GradeWorld, student: string): ScoreRecord[] {
  return world.sim.state.scoreHistory.filter((s) => s.courseId === COURSE && s.userId === student)
}

/** Every active student's gradebook entry says what Mentorlink computes now, and no accepted score was older or lower. */
export async function expectUpToDate (world: GradeWorld, except: string[] = [], timeoutMs = 20_000): Promise<void> {
  const keyOf = (userId: string): string => Object.values(world.people).find((p) => p.userId === userId)?.key ?? userId
  const progress = (await world.api('inst', 'GET', '/api/v1/completion/progress')).body as Array<{ studentUserId: string, score: number, complete: boolean }>
  expect(progress).toHaveLength(world.students.length)
  await eventually(() => {
    const book = world.gradebook()
    for (const row of progress) {
      const key = keyOf(row.studentUserId)
      if (except.includes(key)) continue
      expect({ key, score: book.get(key)?.scoreGiven }).toEqual({ key, score: row.score })
      expect(book.get(key)?.activityProgress).toBe(row.complete ? 'Completed' : 'InProgress')
    }
  }, timeoutMs)
  for (const student of world.students) {
    const history = historyOf(world, student)
    for (let i = 1; i < history.length; i++) {
      expect(Date.parse(history[i]?.timestamp ?? '')).toBeGreaterThan(Date.parse(history[i - 1]?.timestamp ?? ''))
      expect(history[i]?.scoreGiven ?? 0).toBeGreaterThanOrEqual(history[i - 1]?.scoreGiven ?? 0)
    }
  }
}

/** Every entry waiting in the outbox, flattened from its batches. */
export async function queuedEntries (world: GradeWorld): Promise<Array<{ userSub: string, version: number, body: { scoreGiven?: number } }>> {
  const batches = await world.app.db.models.gradeOutbox.find().lean()
  return batches.flatMap((b) => b.entries.map((e) => ({ userSub: e.userSub, version: e.version, body: { scoreGiven: e.body.scoreGiven ?? undefined } })))
}
