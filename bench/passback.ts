/**
 * npm run bench:passback — grade passback throughput through the durable outbox and the grade worker to the bundled
 * LMS simulator over HTTP, on the embedded database (or MONGODB_URI).
 *   1. 10,000 students' scores, no rate limit: scores/s from the enqueue until the last one is in the gradebook.
 *   2. 2,000 scores while the simulator allows 100 requests/s and answers 429 beyond: total time against the
 *      20 s minimum, and lost scores.
 *   3. 2,000 scores to a Canvas-profile LMS whose per-developer-key leaky bucket (high-water mark 600, 50 up-front,
 *      1 per request, draining 100 a second) answers 429 without Retry-After: time against the minimum the bucket
 *      allows, refusals and lost scores.
 *   4. 300 scores to an LMS whose first 20 answers are 429 with Retry-After: 1 (a short burst of refusals), against
 *      the same 300 without the burst, each run on a fresh simulated LMS (so a fresh pace).
 * RUNS (default 3) repetitions each give the median and the spread. CASES (e.g. `4` or `1,4`) runs only those.
 */
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Types } from 'mongoose'
import { loadConfig } from '../src/config'
import { evaluate } from '../src/domain/completion/evaluate'
import { zeroCounts } from '../src/domain/completion/requirements'
import { DEFAULT_RULES } from '../src/domain/completion/rules'
import type { WantedScore } from '../src/domain/grading/ports'
import { sameScore, scoreBodyOf } from '../src/domain/grading/score-body'
import { freePort } from '../src/persistence/ferretdb'
import { startEmbeddedServer } from '../src/persistence/embedded-server'
import { startSimulator, type Simulator } from '@mentorlink/simulator'
import { connectTool, startLmsFor } from '../test/helpers/lms'
import { startTestAppWith } from '../test/helpers/test-app'

const RUNS = Number(process.env.RUNS ?? 3)
const STUDENTS = Number(process.env.STUDENTS ?? 10_000)
const LIMITED = Number(process.env.LIMITED ?? 2000)
const PER_SECOND = 100
const CANVAS_BUCKET = { highWaterMark: 600, leakPerSecond: 100, upFrontCost: 50, requestCost: 1, status: 429 as const }
const BURST = { scores: 300, refusals: 20, retryAfterSeconds: 1 }
const CASES = new Set((process.env.CASES ?? '1,2,3,4').split(',').map((c) => c.trim()))
const COURSE = 'bench'
const AGS = ['https://purl.imsglobal.org/spec/lti-ags/scope/score', 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem']

const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)] ?? NaN }
const sleep = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }
const say = (line: string): void => { process.stdout.write(`${line}\n`) }

async function main (): Promise<void> {
  const db = process.env.MONGODB_URI ? undefined : await startEmbeddedServer({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'mentorlink-bench-')) })
  const port = await freePort()
  const app = await startTestAppWith(loadConfig({
    NODE_ENV: 'test', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'warn',
    MONGODB_URI: process.env.MONGODB_URI ?? `${db?.uri ?? ''}/bench_passback`, GRADE_CONCURRENCY: process.env.GRADE_CONCURRENCY ?? '4'
  }))
  const subs = Array.from({ length: STUDENTS }, (_, i) => `student-${i}`)
  /** A course with every student in the simulated LMS and in Mentorlink. */
  const lmsCourse = async (sim: Simulator, clientId: string) => {
    for (const id of subs) sim.addUser({ id, name: id, givenName: id, familyName: '', email: `${id}@example.edu` })
    sim.addCourse({ id: COURSE, label: 'BENCH', title: 'Bench', members: subs.map((userId) => ({ userId, roles: ['Learner' as const], status: 'Active' as const })) })
    const course = await app.db.models.courses.create({ issuer: sim.issuer, clientId, deploymentId: 'deploy-1', contextId: COURSE, title: 'Bench', agsScopes: AGS })
    return { sim, course, clientId }
  }
  const generic = await lmsCourse(await startLmsFor(app), 'client-1')
  const { sim } = generic
  // Students' progress varies, so bodies differ: i % 7 verified sessions, and so on.
  const wanted: WantedScore[] = subs.map((userSub, i) => ({
    userId: String(new Types.ObjectId()), userSub, body: scoreBodyOf(evaluate(DEFAULT_RULES, { ...zeroCounts(), sessions: i % 7, fieldTrips: i % 3, reflections: i % 2 }), DEFAULT_RULES)
  }))

  /** Enqueues the scores for a fresh line item and waits until the gradebook has each of them; answers timings and losses. */
  const run = async (scores: WantedScore[], timeoutMs: number, { sim, course, clientId } = generic) => {
    await app.db.models.gradeOutbox.deleteMany({ courseId: course._id })
    await app.db.models.gradeResults.deleteMany({ courseId: course._id })
    const item = sim.addLineItem(COURSE, { label: `Run ${Date.now()}`, scoreMaximum: 100 })
    const target = { courseId: String(course._id), issuer: sim.issuer, clientId, lineItemUrl: item.id }
    const posts = sim.stats.scorePosts
    const accepted = sim.state.scoreHistory.length
    const started = Date.now()
    await app.grading.outbox.enqueue(target, scores, { unchanged: sameScore })
    const enqueuedMs = Date.now() - started
    app.grading.worker.kick()
    // Counting accepted scores is cheap; the gradebook is read once, at the end, to check every score.
    while (sim.state.scoreHistory.length - accepted < scores.length && Date.now() - started < timeoutMs) await sleep(25)
    const totalMs = Date.now() - started
    const book = new Map(sim.gradebook(COURSE, item.id).map((s) => [s.userId, s]))
    const lost = scores.filter((s) => book.get(s.userSub)?.scoreGiven !== s.body.scoreGiven || book.get(s.userSub)?.comment !== s.body.comment).length
    return { enqueuedMs, totalMs, sendMs: totalMs - enqueuedMs, lost, throttled: sim.stats.scorePosts - posts - (sim.state.scoreHistory.length - accepted) }
  }

  say(`grade passback benchmark: database ${db?.kind ?? 'MONGODB_URI'}, concurrency ${app.config.grades.concurrency}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`)
  const rates: number[] = []
  let lostFree = 0
  if (CASES.has('1')) say(`\n1. ${STUDENTS} scores, no rate limit`)
  for (let i = 1; i <= RUNS && CASES.has('1'); i++) {
    const r = await run(wanted, 300_000)
    const rate = Math.round(STUDENTS / (r.totalMs / 1000))
    rates.push(rate)
    lostFree += r.lost
    say(`  run ${i}: ${rate} scores/s (enqueue ${(r.enqueuedMs / 1000).toFixed(1)} s + send ${(r.sendMs / 1000).toFixed(1)} s = ${(r.totalMs / 1000).toFixed(1)} s; sending alone ${Math.round(STUDENTS / (r.sendMs / 1000))} scores/s), ${r.lost} lost`)
  }
  if (CASES.has('1')) say(`  median ${median(rates)} scores/s (min ${Math.min(...rates)}, max ${Math.max(...rates)}), ${lostFree} lost`)

  const seconds: number[] = []
  let lostLimited = 0
  if (CASES.has('2')) {
    say(`\n2. ${LIMITED} scores, the LMS allowing ${PER_SECOND} requests/s and answering 429 beyond (minimum ${LIMITED / PER_SECOND} s)`)
    sim.faults.rateLimit({ route: 'scores', perSecond: PER_SECOND })
  }
  for (let i = 1; i <= RUNS && CASES.has('2'); i++) {
    await sleep(1500) // a fresh rate window and a pacer that has forgotten the last run's pause
    const r = await run(wanted.slice(0, LIMITED), 120_000)
    seconds.push(r.totalMs / 1000)
    lostLimited += r.lost
    const over = (r.totalMs / 1000 / (LIMITED / PER_SECOND) - 1) * 100
    say(`  run ${i}: ${(r.totalMs / 1000).toFixed(1)} s (${over.toFixed(1)}% over the minimum), ${Math.round(LIMITED / (r.totalMs / 1000))} scores/s, ${r.throttled} answered 429, ${r.lost} lost`)
  }
  const med = median(seconds)
  if (CASES.has('2')) say(`  median ${med.toFixed(1)} s, ${((med / (LIMITED / PER_SECOND) - 1) * 100).toFixed(1)}% over the minimum (min ${Math.min(...seconds).toFixed(1)} s, max ${Math.max(...seconds).toFixed(1)} s), ${lostLimited} lost`)

  const canvasSim = await startSimulator({ host: '127.0.0.1', port: 0, profile: 'canvas', throttle: CANVAS_BUCKET })
  await connectTool(app, canvasSim, { clientId: 'client-canvas', deploymentId: 'deploy-1' })
  const canvas = await lmsCourse(canvasSim, 'client-canvas')
  // The bucket never holds more than its mark, so at most (mark / cost) requests pass beyond what it drains.
  const burst = CANVAS_BUCKET.highWaterMark / CANVAS_BUCKET.requestCost
  const canvasMinimum = (LIMITED - burst) / (CANVAS_BUCKET.leakPerSecond / CANVAS_BUCKET.requestCost)
  if (CASES.has('3')) say(`\n3. ${LIMITED} scores to Canvas, its bucket draining ${CANVAS_BUCKET.leakPerSecond} requests/s after at most ${burst} at once (minimum ${canvasMinimum.toFixed(1)} s)`)
  const canvasSeconds: number[] = []
  let lostCanvas = 0
  for (let i = 1; i <= RUNS && CASES.has('3'); i++) {
    await sleep(7000) // the bucket drains between runs
    const refusedBefore = canvasSim.stats.throttled
    const r = await run(wanted.slice(0, LIMITED), 180_000, canvas)
    canvasSeconds.push(r.totalMs / 1000)
    lostCanvas += r.lost
    const over = (r.totalMs / 1000 / canvasMinimum - 1) * 100
    say(`  run ${i}: ${(r.totalMs / 1000).toFixed(1)} s (${over.toFixed(1)}% over the minimum), ${canvasSim.stats.throttled - refusedBefore} answered 429, ${r.lost} lost`)
  }
  const canvasMedian = median(canvasSeconds)
  if (CASES.has('3')) say(`  median ${canvasMedian.toFixed(1)} s, ${((canvasMedian / canvasMinimum - 1) * 100).toFixed(1)}% over the minimum (min ${Math.min(...canvasSeconds).toFixed(1)} s, max ${Math.max(...canvasSeconds).toFixed(1)} s), ${lostCanvas} lost`)

  const burstSeconds: number[] = []
  const freeSeconds: number[] = []
  let lostBurst = 0
  const burstLine = (burstS: number, freeS: number): string => `passback ${BURST.scores} scores after ${BURST.refusals}x429: ${burstS.toFixed(1)} s (no fault: ${freeS.toFixed(1)} s)`
  if (CASES.has('4')) say(`\n4. ${BURST.scores} scores, the LMS's first ${BURST.refusals} answers 429 with Retry-After: ${BURST.retryAfterSeconds}, against the same without them`)
  for (let i = 1; i <= RUNS && CASES.has('4'); i++) {
    // A fresh LMS per run: what one run taught the pacer must not slow or speed the next.
    const lms = await startSimulator({ host: '127.0.0.1', port: 0 })
    await connectTool(app, lms, { clientId: `client-burst-${i}`, deploymentId: 'deploy-1' })
    const target = await lmsCourse(lms, `client-burst-${i}`)
    const free = await run(wanted.slice(0, BURST.scores), 120_000, target)
    await sleep(1500) // nothing accepted in the last second when the burst begins, as after an idle spell
    lms.faults.add({ route: 'scores', status: 429, retryAfterSeconds: BURST.retryAfterSeconds, times: BURST.refusals })
    const refused = await run(wanted.slice(0, BURST.scores), 600_000, target)
    freeSeconds.push(free.totalMs / 1000)
    burstSeconds.push(refused.totalMs / 1000)
    lostBurst += free.lost + refused.lost
    say(`  run ${i}: ${burstLine(refused.totalMs / 1000, free.totalMs / 1000)}, ${refused.throttled} answered 429, ${free.lost + refused.lost} lost`)
    await lms.close()
  }
  if (CASES.has('4')) {
    const spread = (xs: number[]): string => `min ${Math.min(...xs).toFixed(1)} s, max ${Math.max(...xs).toFixed(1)} s`
    say(`  median: ${burstLine(median(burstSeconds), median(freeSeconds))}; spread under the burst ${spread(burstSeconds)}, without ${spread(freeSeconds)}; ${lostBurst} lost`)
  }

  if (CASES.has('1')) say(`\n${median(rates)} scores/s`)
  say(`${lostFree + lostLimited + lostCanvas + lostBurst} lost`)
  await canvasSim.close()
  await sim.close()
  await app.close()
  await db?.stop()
}

main().catch((err: unknown) => { process.stderr.write(`${String((err as Error).stack ?? err)}\n`); process.exit(1) })
