/**
 * npm run bench:launch — median and p95 latency of full LTI 1.3 launches (platform login → tool login →
 * platform auth → tool launch → home page) against the bundled LMS simulator, on the embedded database.
 */
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import mongoose from 'mongoose'
import { loadConfig } from '../src/config'
import { freePort } from '../src/persistence/ferretdb'
import { startEmbeddedServer } from '../src/persistence/embedded-server'
import { launchAs, seedCourse, startLmsFor } from '../test/helpers/lms'
import { startTestAppWith } from '../test/helpers/test-app'
import { watchCommands } from './bench-app'

const LAUNCHES = Number(process.env.LAUNCHES ?? 200)

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN

async function main (): Promise<void> {
  const db = process.env.MONGODB_URI ? undefined : await startEmbeddedServer({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'mentorlink-bench-')) })
  const port = await freePort()
  const app = await startTestAppWith(loadConfig({
    NODE_ENV: 'test', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'warn',
    MONGODB_URI: process.env.MONGODB_URI ?? `${db?.uri ?? ''}/bench_launch`
  }))
  const sim = await startLmsFor(app)
  const roles = ['Instructor', 'Mentor', 'Learner'] as const
  seedCourse(sim, 'bench', Array.from({ length: 30 }, (_, i) => ({ id: `u${i}`, name: `User ${i}`, roles: [roles[i % 3] ?? 'Learner'] })))

  await launchAs(sim, { clientId: 'client-1', deploymentId: 'deploy-1', courseId: 'bench', userId: 'u0' }) // warm-up
  // Round trips of Mentorlink's own connection and of ltijs's (mongoose's default connection).
  const ours = watchCommands(app)
  let ltijs = 0
  mongoose.connection.getClient().on('commandStarted', () => { ltijs++ })
  const before = ours.count()
  ours.reset()
  const timings: number[] = []
  for (let i = 0; i < LAUNCHES; i++) {
    const started = process.hrtime.bigint()
    const result = await launchAs(sim, { clientId: 'client-1', deploymentId: 'deploy-1', courseId: 'bench', userId: `u${i % 30}` })
    if (result.home?.status !== 200) throw new Error(`launch ${i} failed: ${result.launch.status} ${result.launchBody}`)
    timings.push(Number(process.hrtime.bigint() - started) / 1e6)
  }
  timings.sort((a, b) => a - b)
  const fmt = (ms: number): string => `${ms.toFixed(1)} ms`
  process.stdout.write([
    `launches: ${LAUNCHES} sequential, full OIDC flow over HTTP (4 requests each), database: ${db?.kind ?? 'MONGODB_URI'}`,
    `launch median: ${fmt(percentile(timings, 50))}`,
    `launch p95: ${fmt(percentile(timings, 95))}`,
    `launch min–max: ${fmt(timings[0] ?? NaN)} – ${fmt(timings[timings.length - 1] ?? NaN)}`,
    `platform JWKS fetches: ${sim.stats.jwksFetches}`,
    `database round trips per launch, Mentorlink's connection and ltijs's: ${((ours.count() - before) / LAUNCHES).toFixed(1)} + ${(ltijs / LAUNCHES).toFixed(1)}`,
    `database round trips per launch: ${((ours.count() - before + ltijs) / LAUNCHES).toFixed(1)}`,
    ...process.env.TRACE === '1' ? ours.costliest(12, LAUNCHES) : [],
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`
  ].join('\n') + '\n')
  await sim.close()
  await app.close()
  await db?.stop()
}

main().catch((err: unknown) => { process.stderr.write(`${String((err as Error).stack ?? err)}\n`); process.exit(1) })
