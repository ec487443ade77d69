// Pairing benchmark: 100,000 students, 5,000 mentors (1,000 when scarce; capacity 20-25), 10 ranked mentors per student.
// Run: npx tsx bench/matching.ts [runs]   Each measurement runs in a fresh child process so that its
// peak RSS is its own. Core timings use the integer preference arrays runPairing builds; the
// runPairing lines time the whole call on string ids (lists, engine, explanations, metrics).
import { spawnSync } from 'node:child_process'
import { bestFitAssignment, strongestFirst } from '../src/domain/pairing/best-fit-assignment'
import { deferredAcceptance } from '../src/domain/pairing/deferred-acceptance'
import { runPairing } from '../src/domain/pairing'
import { countBlockingPairs, totalWeight } from '../src/domain/pairing/matching-metrics'
import { buildPairingContext } from '../src/domain/pairing/pairing-context'
import type { PairingInput, PairingMentor, PairingStudent } from '../src/domain/pairing/pairing-types'
import { buildPreferenceLists } from '../src/domain/pairing/preference-lists'
import { createRandom } from '../src/domain/pairing/seeded-random'

const STUDENTS = 100_000
const MENTORS = 5_000
const LIST = 10
const TOPICS = 60
/** Scarce: uniform with a fifth of the mentors, so most students stay unpaired and each is explained. */
const DISTRIBUTIONS = { uniform: { skew: 0, mentors: MENTORS }, skewed: { skew: 0.7, mentors: MENTORS }, scarce: { skew: 0, mentors: MENTORS / 5 } } as const
type Distribution = keyof typeof DISTRIBUTIONS
const TASKS = ['stable', 'best-fit', 'runPairing stable', 'runPairing best-fit'] as const
type Task = typeof TASKS[number]

interface Measurement { seconds: number[]; cpuSeconds: number[]; peakRssMb: number; heapMb: number; buffersMb: number; placed: number; total: number; blocking: number }

const topics = (random: () => number, count: number): string[] => {
  const chosen = new Set<string>()
  while (chosen.size < count) chosen.add(`topic ${Math.floor(random() * TOPICS)}`)
  return [...chosen]
}

/**
 * Uniform: students pick 10 mentors uniformly; mentors prefer by compatibility.
 * Skewed: mentor popularity ~ 1 / rank^0.7 (Zipf-like), and mentors rank the students who
 * listed them by one shared merit score, which makes rejection chains long.
 */
function generate (distribution: Distribution): PairingInput {
  const { skew, mentors: mentorCount } = DISTRIBUTIONS[distribution]
  const random = createRandom(`bench-${distribution}`)
  const mentors: PairingMentor[] = Array.from({ length: mentorCount }, (_, m) => ({
    id: `mentor-${m}`, tags: topics(random, 3 + Math.floor(random() * 4)), capacity: 20 + Math.floor(random() * 6), active: true
  }))
  const cumulative = new Float64Array(mentorCount)
  let sum = 0
  for (let m = 0; m < mentorCount; m++) cumulative[m] = sum += Math.pow(m + 1, -skew)
  const popular = (): number => {
    const u = random() * sum
    let lo = 0
    let hi = mentorCount - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cumulative[mid]! < u) lo = mid + 1; else hi = mid
    }
    return lo
  }
  const listedBy: number[][] = mentors.map(() => [])
  const students: PairingStudent[] = Array.from({ length: STUDENTS }, (_, s) => {
    const chosen = new Set<number>()
    while (chosen.size < LIST) chosen.add(popular())
    for (const m of chosen) listedBy[m]!.push(s)
    const goals = random() < 0.3 ? `get better at ${topics(random, 1)[0]!}` : undefined
    return { id: `student-${s}`, tags: topics(random, 3 + Math.floor(random() * 3)), goals, ranking: [...chosen].map(m => `mentor-${m}`) }
  })
  if (skew > 0) {
    const merit = Float64Array.from(students, () => random())
    mentors.forEach((mentor, m) => { mentor.ranking = listedBy[m]!.sort((a, b) => merit[b]! - merit[a]!).map(s => `student-${s}`) })
  }
  return { students, mentors, constraints: { reserveFraction: 0 }, seed: 'bench', method: 'stable', listLength: LIST }
}

function measure (distribution: Distribution, task: Task, runs: number): Measurement {
  const input = generate(distribution)
  const seconds: number[] = []
  const cpuSeconds: number[] = []
  let outcome = { placed: 0, total: 0, blocking: 0 }
  const timed = <T>(run: () => T): T => {
    const cpu = process.cpuUsage()
    const begin = performance.now()
    const value = run()
    seconds.push((performance.now() - begin) / 1000)
    const used = process.cpuUsage(cpu)
    cpuSeconds.push((used.user + used.system) / 1e6)
    return value
  }
  if (task.startsWith('runPairing')) {
    const method = task === 'runPairing stable' ? 'stable' : 'best-fit'
    for (let r = 0; r < runs; r++) {
      const result = timed(() => runPairing({ ...input, method }))
      outcome = { placed: result.pairs.length, total: result.totalCompatibility, blocking: result.blockingPairs }
    }
  } else {
    const ctx = buildPairingContext(input)
    const lists = buildPreferenceLists(ctx, LIST)
    for (let r = 0; r < runs; r++) {
      const assigned = timed(() => task === 'stable'
        ? deferredAcceptance(lists, ctx.capacity)
        : bestFitAssignment(lists, ctx.capacity, { order: strongestFirst(lists, ctx.studentLottery.ranks) }))
      let placed = 0
      for (const e of assigned) if (e >= 0) placed++
      outcome = { placed, total: totalWeight(lists, assigned) / 1e6, blocking: countBlockingPairs(lists, ctx.capacity, assigned) }
    }
  }
  const memory = process.memoryUsage()
  const mb = (bytes: number): number => Math.round(bytes / 1048576)
  return { seconds, cpuSeconds, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), heapMb: mb(memory.heapUsed), buffersMb: mb(memory.arrayBuffers), ...outcome }
}

const time = (t: number): string => `${t.toFixed(3)} s`
const spread = (values: number[]): { median: number; text: string } => {
  const sorted = [...values].sort((a, b) => a - b)
  const median = sorted[Math.floor(sorted.length / 2)]!
  return { median, text: `median ${time(median)}, min-max ${time(sorted[0]!)} - ${time(sorted[sorted.length - 1]!)}` }
}

function report (distribution: Distribution, task: Task, m: Measurement): void {
  const wall = spread(m.seconds)
  const label = `${distribution}${distribution === 'scarce' ? `, ${DISTRIBUTIONS.scarce.mentors} mentors` : ''}${task.startsWith('runPairing') ? ', end-to-end on string ids' : ''}`
  console.log(`${task} ${STUDENTS} students: ${time(wall.median)} (${label})`)
  // CPU time is what the algorithm costs; wall time also counts waiting for a busy CPU
  console.log(`  ${m.seconds.length} runs: wall ${wall.text}; CPU ${spread(m.cpuSeconds).text}`)
  console.log(`  peak RSS ${m.peakRssMb} MB (whole process, instance included); heap used ${m.heapMb} MB + typed arrays ${m.buffersMb} MB`)
  console.log(`  placed ${m.placed}, total compatibility ${m.total.toFixed(2)}, blocking pairs ${m.blocking}`)
}

const [mode, distribution, task, runs] = process.argv.slice(2)
if (mode === 'child') {
  process.stdout.write(JSON.stringify(measure(distribution as Distribution, task as Task, Number(runs))))
} else {
  const runsFor = (t: Task): number => Number(mode ?? 0) || (t === 'stable' ? 7 : 3)
  console.log(`node ${process.version}; ${STUDENTS} students, ${MENTORS} mentors (scarce: ${DISTRIBUTIONS.scarce.mentors}), capacity 20-25, ${LIST} ranked mentors each, no reserve`)
  for (const d of Object.keys(DISTRIBUTIONS) as Distribution[]) {
    for (const t of TASKS) {
      const child = spawnSync(process.execPath, [...process.execArgv, __filename, 'child', d, t, String(runsFor(t))], {
        encoding: 'utf8', maxBuffer: 1 << 24
      })
      if (child.status !== 0) throw new Error(`${t} (${d}) failed: ${child.stderr}`)
      report(d, t, JSON.parse(child.stdout) as Measurement)
    }
  }
}
