/**
 * npm run bench:fleet — Mentorlink as a fleet on one database: 1 and then 3 app processes (production settings)
 * behind a round-robin proxy, with 2 grade workers. For each: LAUNCHES full LTI launches (landing page included)
 * at concurrency 50 across a course of STUDENTS (first launches, then returning ones), then every student graded
 * through 6 rules saves at once. Ends with the fleet's errors and the scores the LMS got twice (both must be 0).
 */
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startEmbeddedServer } from '../src/persistence/embedded-server'
import { FLEET_TOOL, startFleet } from '../test/helpers/fleet'
import { scoresSentTwice, startFleetCourse } from '../test/helpers/fleet-course'
import { launchAs } from '../test/helpers/lms'
import { machineLine, runBench, say } from './bench-app'

const LAUNCHES = Number(process.env.LAUNCHES ?? 600)
const STUDENTS = Number(process.env.STUDENTS ?? 300)
const CONCURRENCY = 50
const GRADING_TIMEOUT_MS = 180_000

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN
}
const label = (instances: number): string => `${instances} instance${instances === 1 ? '' : 's'}`

/** One fleet's figures, on a course of its own; answers its errors and scores sent twice. (ltijs is one per process, so both fleets share the database.) */
async function measure (base: string, instances: number): Promise<{ errors: number, sentTwice: number }> {
  const fleet = await startFleet({ mongodbUri: `${base}/fleet`, apps: instances, workers: 2, env: { NODE_ENV: 'production', LOG_LEVEL: 'warn' } })
  try {
    const courseName = `bench-${instances}`
    const course = await startFleetCourse(fleet, courseName, STUDENTS)
    const durations: number[] = []
    let errors = 0
    const reasons: string[] = []
    let next = 0
    const started = Date.now()
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < LAUNCHES) {
        const userId = course.students[next++ % STUDENTS] as string
        const t0 = performance.now()
        const problem = await launchAs(fleet.sim, { ...FLEET_TOOL, courseId: courseName, userId }).then(
          (r) => r.launch.status === 302 && r.home?.status === 200 ? null : `launch ${r.launch.status}, home ${r.home?.status ?? '-'}: ${(r.launchBody || r.home?.html || '').slice(0, 160)}`,
          (err: unknown) => `${String(err)}${(err as { cause?: unknown }).cause ? ` (${String((err as { cause?: unknown }).cause)})` : ''}`)
        durations.push(performance.now() - t0)
        if (problem !== null) {
          errors++
          reasons.push(problem)
        }
      }
    }))
    const seconds = (Date.now() - started) / 1000
    for (const reason of reasons.slice(0, 3)) say(`  failed launch: ${reason}`)
    say(`${label(instances)}: launches/s ${(LAUNCHES / seconds).toFixed(1)}, p95 ${percentile(durations, 95).toFixed(0)} ms, median ${percentile(durations, 50).toFixed(0)} ms, errors ${errors} (${LAUNCHES} launches at concurrency ${CONCURRENCY}, requests per app ${fleet.served.join(' / ')})`)

    const gradingStarted = Date.now()
    const saves = await course.saveRulesAtOnce([1, 2, 3, 4, 5, 6])
    errors += saves.filter((status) => status !== 200).length
    let behind = await course.notUpToDate()
    let counts: Record<string, number> = {}
    while (Date.now() - gradingStarted < GRADING_TIMEOUT_MS) {
      counts = ((await course.api('GET', '/api/v1/grades')).body as { counts: Record<string, number> }).counts
      behind = await course.notUpToDate()
      if (behind.length === 0 && counts.synced === STUDENTS) break
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    const failed = counts.failed ?? 0
    errors += behind.length + failed
    const sentTwice = scoresSentTwice(fleet.sim)
    say(`${label(instances)}: ${STUDENTS} students graded through 6 rules saves at once in ${((Date.now() - gradingStarted) / 1000).toFixed(1)} s, ${behind.length} not up to date, ${failed} failed, scores sent twice ${sentTwice}`)
    return { errors, sentTwice }
  } finally {
    await fleet.close()
  }
}

runBench(async () => {
  say(machineLine())
  const db = process.env.MONGODB_URI ? undefined : await startEmbeddedServer({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'mentorlink-bench-')) })
  const base = process.env.MONGODB_URI ?? db?.uri ?? ''
  say(`database: ${db?.kind ?? 'MONGODB_URI'}`)
  try {
    const one = await measure(base, 1)
    const three = await measure(base, 3)
    say(machineLine())
    say(`fleet errors: ${one.errors + three.errors}`)
    say(`scores sent twice: ${one.sentTwice + three.sentTwice}`)
  } finally {
    await db?.stop()
  }
})
