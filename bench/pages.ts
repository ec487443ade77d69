/**
 * npm run bench:pages — each page's latency and database commands in a course of 2,000 students, 100 mentors and
 * a term of activity, on the embedded database (PAGES="Activities,Grades" measures only those). People arrive through a roster sync, as in production; the pool,
 * the published pairing and the records are written in bulk (through the services that would take hours), then
 * the progress read model is built once. Requests are sequential after a warm-up.
 */
import { Types } from 'mongoose'
import type { FastifyInstance } from 'fastify'
import { addDays, dayToDate, today } from '../src/domain/term/calendar-day'
import { launchAs, seedCourse, startLmsFor } from '../test/helpers/lms'
import { machineLine, runBench, say, watchCommands, withBenchApp } from './bench-app'

const STUDENTS = Number(process.env.STUDENTS ?? 2000)
const MENTORS = Number(process.env.MENTORS ?? 100)
const REQUESTS = Number(process.env.REQUESTS ?? 30)
const COURSE = 'big'
const tool = { clientId: 'client-1', deploymentId: 'deploy-1' }

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN

/** A term's worth of one student's record: sessions, coaching, meetings (some waiting, some returned), goals, notes. */
function recordsOf (courseId: Types.ObjectId, student: Types.ObjectId, mentor: Types.ObjectId, i: number) {
  const base = { courseId, studentUserId: student, createdBy: student, createdByRole: 'student', deletedAt: null }
  const date = (n: number) => dayToDate(addDays(today(), -((i + n) % 60) - 1))
  const status = (n: number) => (i + n) % 7 === 0 ? 'pending' : (i + n) % 11 === 0 ? 'rejected' : 'verified'
  const review = (n: number) => status(n) === 'pending' ? null : { by: mentor, at: date(n), comment: '' }
  const activities = [
    ...Array.from({ length: 8 }, (_, n) => ({ ...base, kind: 'session', date: date(n), durationMinutes: 45, topics: ['Strategy'], status: status(n), review: review(n) })),
    ...Array.from({ length: 4 }, (_, n) => ({ ...base, kind: 'coaching', date: date(n + 8), skill: ['negotiation', 'persuasion', 'leadership', 'negotiation'][n], practised: 'Practice', status: status(n + 8), review: review(n + 8) })),
    ...Array.from({ length: 3 }, (_, n) => ({ ...base, kind: 'meeting', date: date(n + 12), organisation: 'Acme', reflection: 'Observed', status: status(n + 12), review: review(n + 12) }))
  ]
  const goals = [['short', 'achieved'], ['short', 'in-progress'], ['long', 'not-started']].map(([horizon, s]) =>
    ({ ...base, horizon, text: 'Grow', targetDate: dayToDate(addDays(today(), 30)), status: s, progress: [] }))
  const reflections = Array.from({ length: 3 }, (_, n) => ({ ...base, date: date(n), text: 'What I learned', activityId: null }))
  const contacts = Array.from({ length: 2 }, () => ({ ...base, name: 'Ada Board', organisation: 'Acme', role: 'Chair', whereMet: 'Trip', followUp: '' }))
  return { activities, goals, reflections, contacts }
}

async function seed (app: FastifyInstance): Promise<{ sessions: Record<string, string>, records: number }> {
  const sim = await startLmsFor(app, tool)
  seedCourse(sim, COURSE, [
    { id: 'prof', name: 'Amara Okafor', roles: ['Instructor'] },
    ...Array.from({ length: MENTORS }, (_, i) => ({ id: `m${i}`, name: `Mentor ${i}`, roles: ['Mentor' as const] })),
    ...Array.from({ length: STUDENTS }, (_, i) => ({ id: `s${i}`, name: `Student ${i}`, roles: ['Learner' as const] }))
  ])
  const sessions: Record<string, string> = {}
  // The instructor's launch syncs the roster: every member becomes a user with a membership.
  for (const who of ['prof', 'm0', 's0']) sessions[who] = (await launchAs(sim, { ...tool, courseId: COURSE, userId: who })).sessionToken ?? ''
  await app.settled()
  const { models } = app.db
  const course = await models.courses.findOne({ contextId: COURSE }).lean()
  if (!course) throw new Error('the course was not created')
  const users = new Map((await models.users.find({}, { sub: 1 }).lean()).map((u) => [u.sub, u._id]))
  const pool = await models.pools.create({ ...tool, issuer: sim.issuer, name: 'Executive mentors', ownerCourseId: course._id })
  await models.courses.updateOne({ _id: course._id }, { $set: { poolId: pool._id } })
  const mentors = await models.mentors.insertMany(Array.from({ length: MENTORS }, (_, i) =>
    ({ poolId: pool._id, name: `Mentor ${i}`, email: `m${i}@example.edu`, capacity: 50, source: 'lms', userId: users.get(`m${i}`) })))
  const studentIds = Array.from({ length: STUDENTS }, (_, i) => users.get(`s${i}`) as Types.ObjectId)
  // Student i is mentored by mentor i mod MENTORS, so mentor 0 has STUDENTS / MENTORS mentees.
  const mentorOf = (i: number) => mentors[i % MENTORS] as (typeof mentors)[number]
  await models.pairings.insertMany(studentIds.map((student, i) =>
    ({ courseId: course._id, studentUserId: student, mentorId: mentorOf(i)._id, status: 'active', source: 'run', publishedAt: new Date() })))
  await models.pairingPlans.updateOne({ courseId: course._id }, { $set: { publishedAt: new Date() } }, { upsert: true })

  let records = 0
  for (let from = 0; from < STUDENTS; from += 100) {
    const batch = studentIds.slice(from, from + 100).map((s, n) => recordsOf(course._id, s, mentorOf(from + n).userId as Types.ObjectId, from + n))
    for (const kind of ['activities', 'goals', 'reflections', 'contacts'] as const) {
      const docs = batch.flatMap((b): unknown[] => b[kind])
      const model = models[kind] as unknown as { insertMany: (docs: unknown[], options: object) => Promise<unknown> }
      await model.insertMany(docs, { lean: true })
      records += docs.length
    }
  }
  const trips = await models.fieldTrips.insertMany(Array.from({ length: 20 }, (_, t) => ({
    courseId: course._id, title: `Negotiation visit ${t}`, startsAt: dayToDate(addDays(today(), t - 10)), place: 'Harbour', description: '',
    capacity: 100, invitedUserIds: studentIds.slice(t * 100, t * 100 + 100), organiserUserId: mentorOf(t).userId, organiserRole: 'mentor'
  })))
  const attendance = trips.filter((t) => t.startsAt < new Date()).flatMap((t) => t.invitedUserIds.map((student, n) => ({
    courseId: course._id, fieldTripId: t._id, studentUserId: student, status: n % 5 === 0 ? 'absent' : 'present', via: 'checklist', recordedBy: t.organiserUserId, recordedAt: t.startsAt
  })))
  await models.attendance.insertMany(attendance, { lean: true })
  records += trips.length + attendance.length
  await app.progressReadModel.rebuild(String(course._id))
  await sim.close()
  return { sessions, records }
}

async function measure (app: FastifyInstance, dbKind: string): Promise<void> {
  const seeding = Date.now()
  const { sessions, records } = await seed(app)
  say(`course: ${STUDENTS} students, ${MENTORS} mentors, ${records} records and attendance rows (seeded in ${((Date.now() - seeding) / 1000).toFixed(0)} s); database: ${dbKind}`)

  // TRACE=1: where each page's database time goes, by command and collection (per request).
  const commands = watchCommands(app)
  const pages: Array<[string, string, string]> = [
    ['instructor home', 'prof', '/instructor'],
    ['student home', 's0', '/student'],
    ['mentor home', 'm0', '/mentor'],
    ['Activities', 'prof', '/instructor/activities'],
    ['Completion', 'prof', '/instructor/completion'],
    ['Grades', 'prof', '/instructor/grades'],
    ['Pairing', 'prof', '/instructor/pairing'],
    ['Roster', 'prof', '/instructor/roster'],
    ['Mentor pool', 'prof', '/instructor/pool'],
    ['Field trips', 'prof', '/instructor/field-trips']
  ]
  say('page | p50 | p95 | min–max | database commands | size')
  // PAGES="Pairing,Mentor pool": only those.
  const only = process.env.PAGES?.split(',').map((p) => p.trim())
  for (const [name, who, url] of pages.filter(([name]) => only === undefined || only.includes(name))) {
    const get = async () => {
      const res = await fetch(`${app.config.publicUrl}${url}?session=${encodeURIComponent(sessions[who] ?? '')}`, { headers: { accept: 'text/html' } })
      if (res.status !== 200) throw new Error(`${name} answered ${res.status}`)
      return (await res.arrayBuffer()).byteLength
    }
    for (let i = 0; i < 3; i++) await get()
    const timings: number[] = []
    let size = 0
    const before = commands.count()
    commands.reset()
    for (let i = 0; i < REQUESTS; i++) {
      const started = process.hrtime.bigint()
      size = await get()
      timings.push(Number(process.hrtime.bigint() - started) / 1e6)
    }
    timings.sort((a, b) => a - b)
    const ms = (v: number) => `${v.toFixed(0)} ms`
    if (process.env.TRACE === '1') for (const line of commands.costliest(8, REQUESTS)) say(line)
    say(`${name} | ${ms(percentile(timings, 50))} | ${ms(percentile(timings, 95))} | ${ms(timings[0] ?? NaN)}–${ms(timings.at(-1) ?? NaN)} | ${((commands.count() - before) / REQUESTS).toFixed(1)} | ${(size / 1024).toFixed(0)} KB`)
  }
  say(machineLine())
}

runBench(async () => { await withBenchApp('bench_pages', measure) })
