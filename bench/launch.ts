/**
 * npm run bench:launch — full LTI 1.3 launches (platform login → tool login → platform auth → tool launch → landing
 * page) against the bundled LMS simulator, Mentorlink side by side with the peer an LTI developer would otherwise
 * pick: a minimal tool on bare ltijs (bench/ltijs-peer.ts, its own process, port and database, on the same
 * embedded server, simulator and HTTP driver). Sequential launches alternate between the two; throughput is taken
 * at concurrency 10, each tool on its own, twice in turn; cost growth compares Mentorlink's median launch before and
 * after GROWTH_LAUNCHES more launches (their sessions, logins and claims left in the database).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import mongoose from 'mongoose'
import type { Simulator } from '@mentorlink/simulator'
import { loadConfig } from '../src/config'
import { freePort } from '../src/persistence/ferretdb'
import { startEmbeddedServer } from '../src/persistence/embedded-server'
import { launchAs, seedCourse, startLmsFor } from '../test/helpers/lms'
import { NO_RATE_LIMITS, startTestAppWith } from '../test/helpers/test-app'
import { machineLine, say, watchCommands } from './bench-app'

const LAUNCHES = Number(process.env.LAUNCHES ?? 200)
const THROUGHPUT_LAUNCHES = Number(process.env.THROUGHPUT_LAUNCHES ?? 200)
const GROWTH_LAUNCHES = Number(process.env.GROWTH_LAUNCHES ?? 10_000)
const JUNK_PER_SECOND = Number(process.env.JUNK_PER_SECOND ?? 50)
const SAMPLE = 100
const CONCURRENCY = 10
const USERS = 30
const COURSE = 'bench'
const ours = { clientId: 'client-1', deploymentId: 'deploy-1' }
const peer = { clientId: 'ltijs-peer', deploymentId: 'deploy-peer' }

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN
const median = (values: number[]): number => percentile([...values].sort((a, b) => a - b), 50)
const ms = (v: number): string => `${v.toFixed(1)} ms`

type Tool = typeof ours
/** One launch of user `i` through `tool`, landing page included; its duration in ms. */
async function launch (sim: Simulator, tool: Tool, i: number): Promise<number> {
  const started = process.hrtime.bigint()
  const result = await launchAs(sim, { ...tool, courseId: COURSE, userId: `u${i % USERS}` })
  if (result.home?.status !== 200) throw new Error(`${tool.clientId} launch ${i} failed: ${result.launch.status} ${result.launchBody} ${result.home?.status ?? ''} ${result.home?.url ?? ''} ${result.home?.html.slice(0, 300) ?? ''}`)
  return Number(process.hrtime.bigint() - started) / 1e6
}

/** Launches per second with `CONCURRENCY` launches in flight. */
async function throughput (sim: Simulator, tool: Tool, count: number): Promise<number> {
  let next = 0
  const started = process.hrtime.bigint()
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < count) await launch(sim, tool, next++)
  }))
  return count / (Number(process.hrtime.bigint() - started) / 1e9)
}

/**
 * Times `SAMPLE` sequential launches while junk arrives at the launch URL at `JUNK_PER_SECOND`: live states (each
 * from a real login initiation) with a made-up id_token naming the platform, posted without the state's cookie, as
 * someone flooding the endpoint would. Rate limits are off in the bench, so only the order of the checks protects.
 */
async function launchesUnderJunk (sim: Simulator, launchUrl: string): Promise<number[]> {
  const states = await Promise.all(Array.from({ length: 20 }, async () => {
    const request = sim.launchRequest({ ...ours, courseId: COURSE, userId: 'u0' })
    const login = await fetch(request.loginUrl, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(request.params).toString() })
    return new URL(login.headers.get('location') ?? '').searchParams.get('state') ?? ''
  }))
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')
  const idToken = `${part({ alg: 'RS256', kid: 'junk' })}.${part({ iss: sim.issuer, aud: ours.clientId, sub: 'u0' })}.${part('junk')}`
  let stop = false
  let sent = 0
  const junk = (async () => {
    const started = Date.now()
    while (!stop) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + (sent * 1000) / JUNK_PER_SECOND - Date.now())))
      const body = new URLSearchParams({ state: states[sent % states.length] ?? '', id_token: idToken }).toString()
      void fetch(launchUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }).then(async (res) => await res.arrayBuffer()).catch(() => undefined)
      sent++
    }
  })()
  const times: number[] = []
  for (let i = 0; i < SAMPLE; i++) times.push(await launch(sim, ours, i))
  stop = true
  await junk
  return times
}

async function startPeer (uri: string, sim: Simulator): Promise<{ url: string, child: ChildProcess, roundTrips: () => Promise<number> }> {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'ltijs-peer.ts')], {
    env: {
      ...process.env, PEER_PORT: String(port), PEER_MONGODB_URI: uri, PEER_ISSUER: sim.issuer, PEER_CLIENT_ID: peer.clientId,
      PEER_AUTH_URL: sim.endpoints.auth, PEER_TOKEN_URL: sim.endpoints.token, PEER_JWKS_URL: sim.endpoints.jwks
    },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => { if (chunk.toString().includes('ready')) resolve() })
    child.once('exit', (code) => { reject(new Error(`the ltijs peer exited (${String(code)})`)) })
  })
  sim.addTool({ clientId: peer.clientId, deploymentIds: [peer.deploymentId], loginUrl: `${url}/login`, redirectUris: [`${url}/`], targetLinkUri: `${url}/`, jwksUrl: `${url}/keys` })
  const roundTrips = async (): Promise<number> => ((await (await fetch(`${url}/bench/round-trips`)).json()) as { commands: number }).commands
  return { url, child, roundTrips }
}

async function main (): Promise<void> {
  const db = process.env.MONGODB_URI ? undefined : await startEmbeddedServer({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'mentorlink-bench-')) })
  const base = process.env.MONGODB_URI ?? db?.uri ?? ''
  const port = await freePort()
  const app = await startTestAppWith(loadConfig({
    NODE_ENV: 'production', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'warn', MONGODB_URI: `${base}/bench_launch`,
    LTI_ENCRYPTION_KEY: 'bench-encryption-key-0123456789abcdef0123', SESSION_SECRET: 'bench-session-secret-0123456789abcdef01', LTI_TOOL_KEY_BITS: '2048',
    ...NO_RATE_LIMITS // one client makes every request
  }))
  const sim = await startLmsFor(app, ours)
  const roles = ['Instructor', 'Mentor', 'Learner'] as const
  seedCourse(sim, COURSE, Array.from({ length: USERS }, (_, i) => ({ id: `u${i}`, name: `User ${i}`, roles: [roles[i % 3] ?? 'Learner'] })))
  const ltijsPeer = await startPeer(`${base}/bench_ltijs_peer`, sim)
  try {
    for (let i = 0; i < USERS; i++) { await launch(sim, ours, i); await launch(sim, peer, i) } // every user known to both
    await app.settled()

    // Sequential, alternating; round trips counted on both of Mentorlink's connections (its own and ltijs's).
    const commands = watchCommands(app)
    let ltijsCommands = 0
    mongoose.connection.getClient().on('commandStarted', () => { ltijsCommands++ })
    const ourBefore = commands.count()
    const peerBefore = await ltijsPeer.roundTrips()
    const times = { ours: [] as number[], peer: [] as number[] }
    for (let i = 0; i < LAUNCHES; i++) {
      times.ours.push(await launch(sim, ours, i))
      times.peer.push(await launch(sim, peer, i))
    }
    await app.settled()
    const ourTrips = (commands.count() - ourBefore + ltijsCommands) / LAUNCHES
    const peerTrips = (await ltijsPeer.roundTrips() - peerBefore) / LAUNCHES

    const rates = { ours: [] as number[], peer: [] as number[] }
    for (let round = 0; round < 2; round++) {
      rates.ours.push(await throughput(sim, ours, THROUGHPUT_LAUNCHES))
      rates.peer.push(await throughput(sim, peer, THROUGHPUT_LAUNCHES))
    }
    const rate = (list: number[]): number => list.reduce((a, b) => a + b, 0) / list.length

    const underJunk = await launchesUnderJunk(sim, `${app.config.publicUrl}/lti/launch`)
    const before = median(times.ours.slice(-SAMPLE))
    for (let done = 0; done < GROWTH_LAUNCHES; done += 1000) await throughput(sim, ours, Math.min(1000, GROWTH_LAUNCHES - done))
    await app.settled()
    const after: number[] = []
    const traced = commands.costliest(12, LAUNCHES)
    commands.reset()
    for (let i = 0; i < SAMPLE; i++) after.push(await launch(sim, ours, i))
    const tracedAfter = commands.costliest(12, SAMPLE)

    const sorted = { ours: [...times.ours].sort((a, b) => a - b), peer: [...times.peer].sort((a, b) => a - b) }
    say(`launches: ${LAUNCHES} sequential per tool, alternating, full OIDC flow over HTTP with the landing page; database: ${db?.kind ?? 'MONGODB_URI'}`)
    say(`Mentorlink launch median / p95 / min–max: ${ms(percentile(sorted.ours, 50))} / ${ms(percentile(sorted.ours, 95))} / ${ms(sorted.ours[0] ?? NaN)}–${ms(sorted.ours.at(-1) ?? NaN)}`)
    say(`ltijs peer launch median / p95 / min–max: ${ms(percentile(sorted.peer, 50))} / ${ms(percentile(sorted.peer, 95))} / ${ms(sorted.peer[0] ?? NaN)}–${ms(sorted.peer.at(-1) ?? NaN)}`)
    say(`launches/s at concurrency ${CONCURRENCY} (${THROUGHPUT_LAUNCHES} each, two rounds): Mentorlink ${rates.ours.map((r) => r.toFixed(1)).join(', ')}; ltijs peer ${rates.peer.map((r) => r.toFixed(1)).join(', ')}`)
    say(`database round trips per launch, ltijs peer: ${peerTrips.toFixed(1)}`)
    say(`Mentorlink launch median / p95 with ${JUNK_PER_SECOND} junk launch posts/s: ${ms(median(underJunk))} / ${ms(percentile([...underJunk].sort((a, b) => a - b), 95))} (without junk: ${ms(before)})`)
    say(`Mentorlink median launch before / after ${GROWTH_LAUNCHES} more launches: ${ms(before)} / ${ms(median(after))}`)
    if (process.env.TRACE === '1') {
      say('where a sequential launch\'s database time goes, first:')
      for (const line of traced) say(line)
      say(`and after ${GROWTH_LAUNCHES} more launches:`)
      for (const line of tracedAfter) say(line)
    }
    say(machineLine())
    say(`launch median ratio (Mentorlink/ltijs): ${(percentile(sorted.ours, 50) / percentile(sorted.peer, 50)).toFixed(2)}`)
    say(`launches/s ratio at concurrency 10 (Mentorlink/ltijs): ${(rate(rates.ours) / rate(rates.peer)).toFixed(2)}`)
    say(`database round trips per launch: ${ourTrips.toFixed(1)}`)
    say(`cost growth after ${GROWTH_LAUNCHES} launches: ${((median(after) / before - 1) * 100).toFixed(1)}%`)
  } finally {
    ltijsPeer.child.kill()
    await sim.close()
    await app.close()
    await db?.stop()
  }
}

main().catch((err: unknown) => { process.stderr.write(`${String((err as Error).stack ?? err)}\n`); process.exit(1) })
