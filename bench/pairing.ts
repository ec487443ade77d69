/**
 * npm run bench:pairing — a course of 10,000 students and 500 mentors on the embedded database, through the
 * service layer: the first roster sync and an unchanged re-sync, a stable and a best-fit pairing run (inputs read
 * from the database, the run saved back), and publication of the best-fit run.
 */
import type { FastifyInstance } from 'fastify'
import { launchAs, seedCourse, startLmsFor } from '../test/helpers/lms'
import { machineLine, runBench, say, watchCommands, withBenchApp } from './bench-app'

const STUDENTS = Number(process.env.STUDENTS ?? 10_000)
const MENTORS = Number(process.env.MENTORS ?? 500)
const COURSE = 'huge'
const tool = { clientId: 'client-1', deploymentId: 'deploy-1' }

async function measure (app: FastifyInstance): Promise<void> {
  // TRACE=1: after each line, where its database time went.
  const commands = watchCommands(app)
  const report = (line: string): void => {
    say(line)
    if (process.env.TRACE === '1') for (const cost of commands.costliest(5)) say(cost)
  }
  const timed = async <T>(work: () => Promise<T>): Promise<{ value: T, seconds: string }> => {
    commands.reset()
    const started = process.hrtime.bigint()
    const value = await work()
    return { value, seconds: `${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(2)} s` }
  }
  const sim = await startLmsFor(app, tool)
  seedCourse(sim, COURSE, [
    { id: 'prof', name: 'Amara Okafor', roles: ['Instructor'] },
    ...Array.from({ length: MENTORS }, (_, i) => ({ id: `m${i}`, name: `Mentor ${i}`, roles: ['Mentor' as const] })),
    ...Array.from({ length: STUDENTS }, (_, i) => ({ id: `s${i}`, name: `Student ${i}`, roles: ['Learner' as const] }))
  ])
  // A student's launch creates the course without syncing its roster, so the first sync is the one measured.
  await launchAs(sim, { ...tool, courseId: COURSE, userId: 's0' })
  const { models } = app.db
  const course = await models.courses.findOne({ contextId: COURSE }).lean()
  if (!course) throw new Error('the course was not created')
  const courseId = String(course._id)
  const first = await timed(async () => await app.rosterSync.sync(courseId, 'manual'))
  report(`roster sync ${STUDENTS + MENTORS + 1} members: ${first.seconds} (${JSON.stringify(first.value)})`)
  const again = await timed(async () => await app.rosterSync.sync(courseId, 'manual'))
  report(`roster re-sync, nothing changed: ${again.seconds}`)

  // Users and memberships are found by _id at launch, so a launch costs the same however many members there are.
  const launched = await timed(async () => await launchAs(sim, { ...tool, courseId: COURSE, userId: 's1' }))
  report(`first launch of a synced student (${STUDENTS + MENTORS + 1} members), landing page included: ${launched.seconds}`)

  const users = new Map((await models.users.find({ sub: /^m\d+$/ }, { sub: 1 }).lean()).map((u) => [u.sub, u._id]))
  const pool = await models.pools.create({ ...tool, issuer: sim.issuer, name: 'Executive mentors', ownerCourseId: course._id })
  await models.courses.updateOne({ _id: course._id }, { $set: { poolId: pool._id } })
  const capacity = Math.max(1, Math.ceil((STUDENTS * 1.1) / MENTORS))
  await models.mentors.insertMany(Array.from({ length: MENTORS }, (_, i) => ({
    poolId: pool._id, name: `Mentor ${i}`, email: `m${i}@example.edu`, capacity, source: 'lms', userId: users.get(`m${i}`),
    organisation: `Firm ${i % 40}`, expertise: [['negotiation', 'finance'], ['rhetoric', 'strategy'], ['networking', 'operations']][i % 3]
  })))
  const prof = String((await models.users.findOne({ sub: 'prof' }, { _id: 1 }).lean())?._id)
  const settings = { balanceLoad: false, differentOrganisation: false, reserveFraction: 0, seed: 'bench' }

  const stable = await timed(async () => await app.pairing.saveSettings(courseId, prof, { ...settings, method: 'stable' }))
  report(`run stable ${STUDENTS} students: ${stable.seconds} (${stable.value.result.pairs.length} placed)`)
  const bestFit = await timed(async () => await app.pairing.saveSettings(courseId, prof, { ...settings, method: 'best-fit' }))
  report(`run best-fit ${STUDENTS} students: ${bestFit.seconds} (${bestFit.value.result.pairs.length} placed)`)
  const published = await timed(async () => await app.pairing.publish(courseId, bestFit.value.id))
  report(`publish ${STUDENTS} students: ${published.seconds} (${published.value} pairings written)`)
  const stored = await models.pairings.countDocuments({ courseId: course._id, status: 'active' })
  if (stored !== bestFit.value.result.pairs.length) throw new Error(`${stored} active pairings stored, ${bestFit.value.result.pairs.length} published`)
  await app.settled()
  await sim.close()
  say(machineLine())
}

runBench(async () => { await withBenchApp('bench_pairing', async (app, kind) => { say(`database: ${kind}`); await measure(app) }) })
