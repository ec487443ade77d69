/**
 * npm run bench:pairing — a course of 10,000 students and 500 mentors on the embedded database, through the
 * service layer: the first roster sync and an unchanged re-sync, a stable and a best-fit pairing run (inputs read
 * from the database, the run saved back), and publication of the best-fit run while mentors have room for about
 * 80 % of the students; then, once they have more seats, "pair the unpaired now" for the students left without one.
 */
import type { FastifyInstance } from 'fastify'
import { createPairingMaintenance } from '../src/domain/pairing-workflow/pairing-maintenance'
import { createPairingWorkflowRepository } from '../src/persistence/repositories/pairing-workflow.repository'
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
  // Mentors have room for about 80 % of the students when the pairing is published; 110 % once they give more seats.
  const capacity = Math.max(1, Math.ceil((STUDENTS * 1.1) / MENTORS))
  const scarce = Math.max(1, Math.floor((STUDENTS * 0.8) / MENTORS))
  await models.mentors.insertMany(Array.from({ length: MENTORS }, (_, i) => ({
    poolId: pool._id, name: `Mentor ${i}`, email: `m${i}@example.edu`, capacity: scarce, source: 'lms', userId: users.get(`m${i}`),
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
  // What the publication's subscribers do after it (email is off here): each student and mentor told in the app.
  const told = await timed(async () => { await app.settled() })
  report(`in-app notices of publish ${STUDENTS} students: ${told.seconds} (${await models.inboxItems.countDocuments()} items)`)

  // The mentors give more seats, and the instructor pairs the students left without a mentor: "Pair the unpaired now"
  // (POST /instructor/pairing/place-unpaired calls placeUnpairedNow), events and their subscribers included. The
  // maintenance service is built as services.ts builds it, over the app's models and event bus (the app does not
  // expose its own), and called directly: a request would also wait for an HTTP client's timeout.
  await models.mentors.updateMany({ poolId: pool._id }, { $set: { capacity } })
  const maintenance = createPairingMaintenance(createPairingWorkflowRepository(models), app.events)
  await app.settled()
  // When the first pairing event is published: the placements are written by then, and their subscribers run after.
  let started = 0n
  let firstEvent = 0n
  let events = 0
  const unsubscribe = app.events.subscribe(['StudentsPlaced', 'PairingPublished', 'PairMoved'], () => { events++; if (firstEvent === 0n) firstEvent = process.hrtime.bigint() })
  const placed = await timed(async () => {
    started = process.hrtime.bigint()
    return await maintenance.placeUnpairedNow(courseId)
  })
  unsubscribe()
  const written = firstEvent === 0n ? '' : `; written in ${(Number(firstEvent - started) / 1e9).toFixed(2)} s, then ${events} pairing events published`
  report(`place-unpaired ${STUDENTS} students: ${placed.seconds} (${placed.value.placed.length} placed${written})`)
  const active = await models.pairings.find({ courseId: course._id, status: 'active' }, { studentUserId: 1 }).lean()
  const pairedStudents = new Set(active.map((p) => String(p.studentUserId))).size
  if (active.length !== STUDENTS || active.length !== stored + placed.value.placed.length || pairedStudents !== active.length) {
    throw new Error(`${active.length} active pairings of ${pairedStudents} students after placing ${placed.value.placed.length}; ${STUDENTS} expected (${stored} published)`)
  }
  const toldPlaced = await timed(async () => { await app.notices.notifier.settled() })
  report(`in-app notices of place-unpaired ${STUDENTS} students: ${toldPlaced.seconds} (${await models.inboxItems.countDocuments()} items in all)`)
  const rest = await timed(async () => { await app.settled() })
  report(`other subscribers of place-unpaired ${STUDENTS} students, after: ${rest.seconds}`)
  await sim.close()
  say(machineLine())
}

runBench(async () => { await withBenchApp('bench_pairing', async (app, kind) => { say(`database: ${kind}`); await measure(app) }) })
