import { spawn, type ChildProcess } from 'node:child_process'
import { openSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { startSimulator, type Simulator } from '@mentorlink/simulator'
import { loadConfig } from '../../src/config'
import { freePort } from '../../src/persistence/ferretdb'
import { buildPlatformAdmin, connectInfrastructure, type Infrastructure } from '../../src/services'
import { NO_RATE_LIMITS } from './test-app'

const root = path.resolve(__dirname, '..', '..')
export const FLEET_TOOL = { clientId: 'fleet-client', deploymentId: 'fleet-deploy' }

/** Short leases and polls, so a killed worker's lanes come back within seconds. */
const FAST = {
  GRADE_RETRY_BASE_MS: '50', GRADE_RETRY_MAX_SECONDS: '2', GRADE_POLL_MS: '100', GRADE_IDLE_POLL_MAX_MS: '200',
  GRADE_REQUEST_TIMEOUT_MS: '5000', GRADE_LEASE_SECONDS: '3', COMPLETION_RETRY_SECONDS: '2'
}

export interface FleetOptions {
  mongodbUri: string
  apps: number
  workers: number
  /** Settings for every process (on top of the fleet's own). */
  env?: Record<string, string>
}

export interface Fleet {
  /** The proxy's address: the one PUBLIC_URL of every app, as behind a load balancer. */
  url: string
  sim: Simulator
  /** The test's own connection to the fleet's database (and ltijs, which registered the LMS). */
  infra: Infrastructure
  /** Requests each app answered, by index. */
  served: number[]
  workers: ChildProcess[]
  /** SIGKILLs worker `i` and starts a new one in its place. */
  replaceWorker: (i: number) => Promise<void>
  close: () => Promise<void>
}

const SECRETS = { LTI_ENCRYPTION_KEY: 'fleet-encryption-key-0123456789abcdef0123', SESSION_SECRET: 'fleet-session-secret-0123456789abcdef0123' }

function processEnv (options: FleetOptions, publicUrl: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env, NODE_ENV: 'test', DEMO: 'false', LOG_LEVEL: 'silent', LTI_TOOL_KEY_BITS: '2048', LTI_JWKS_REFETCH_COOLDOWN_SECONDS: '0',
    MONGODB_URI: options.mongodbUri, PUBLIC_URL: publicUrl, SMTP_URL: process.env.TEST_SMTP_URL, ...NO_RATE_LIMITS, ...SECRETS, ...FAST, ...options.env, ...extra
  }
}

/** FLEET_LOGS=<dir> keeps each process's log there (one file per process); otherwise logs go nowhere. */
let started = 0
const logTo = (script: string): number | 'ignore' => {
  const dir = process.env.FLEET_LOGS
  return dir === undefined ? 'ignore' : openSync(path.join(dir, `${path.basename(script, '.ts')}-${++started}.log`), 'a')
}
const run = (script: string, env: NodeJS.ProcessEnv): ChildProcess =>
  spawn(process.execPath, ['--import', 'tsx', path.join('src', ...script.split('/'))], { cwd: root, stdio: ['ignore', logTo(script), 'inherit'], env })

async function untilAnswers (url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the process for ${url} exited with ${child.exitCode}`)
    if (await fetch(url).then((res) => res.ok, () => false)) return
    if (i > 600) throw new Error(`${url} did not answer within 60 s`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

const exited = async (child: ChildProcess): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null) return
  await new Promise((resolve) => child.once('exit', resolve))
}

/** Forwards each request to the next app in turn, as a load balancer without sticky sessions does. */
function roundRobin (ports: number[], served: number[]): http.Server {
  let next = 0
  return http.createServer((req, res) => {
    const i = next++ % ports.length
    served[i] = (served[i] ?? 0) + 1
    const upstream = http.request({ host: '127.0.0.1', port: ports[i], method: req.method, path: req.url, headers: req.headers }, (answer) => {
      // Hop-by-hop: the app's keep-alive promise is not the proxy's (a client holding a connection past the proxy's
      // own idle timeout would have it reset under its next request).
      const { connection: _connection, 'keep-alive': _keepAlive, ...headers } = answer.headers
      res.writeHead(answer.statusCode ?? 502, headers)
      answer.pipe(res)
    })
    upstream.on('error', (err) => { res.writeHead(502); res.end(`proxy: ${err.message}`) })
    req.pipe(upstream)
  })
}

/**
 * Mentorlink as a university runs it: several app processes (`src/server.ts`, GRADE_WORKER=false) behind a
 * round-robin proxy, and separate grade workers (`src/jobs/grade-worker-main.ts`), all on one database, with the
 * LMS simulator registered at the proxy's address.
 */
export async function startFleet (options: FleetOptions): Promise<Fleet> {
  const proxyPort = await freePort()
  const url = `http://127.0.0.1:${proxyPort}`
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', LTI_TOOL_KEY_BITS: '2048', MONGODB_URI: options.mongodbUri, PUBLIC_URL: url, ...SECRETS })
  const infra = await connectInfrastructure(config)
  const sim = await startSimulator({ host: '127.0.0.1', port: 0 })
  sim.addTool({ ...FLEET_TOOL, deploymentIds: [FLEET_TOOL.deploymentId], loginUrl: `${url}/lti/login`, redirectUris: [`${url}/lti/launch`], targetLinkUri: `${url}/lti/launch`, jwksUrl: `${url}/lti/keys` })
  await buildPlatformAdmin(infra).platformRegistry.add({
    issuer: sim.issuer, clientId: FLEET_TOOL.clientId, name: 'Simulated LMS', authEndpoint: sim.endpoints.auth, tokenEndpoint: sim.endpoints.token,
    jwksUrl: sim.endpoints.jwks, deploymentIds: [FLEET_TOOL.deploymentId]
  })

  const appPorts = await Promise.all(Array.from({ length: options.apps }, async () => await freePort()))
  const apps = appPorts.map((port) => run('server.ts', processEnv(options, url, { PORT: String(port), GRADE_WORKER: 'false' })))
  const startWorker = (): ChildProcess => run('jobs/grade-worker-main.ts', processEnv(options, url, { GRADE_CONCURRENCY: '8' }))
  const workers = Array.from({ length: options.workers }, startWorker)
  const served = appPorts.map(() => 0)
  const proxy = roundRobin(appPorts, served)
  await new Promise<void>((resolve) => proxy.listen(proxyPort, '127.0.0.1', resolve))
  if ((proxy.address() as AddressInfo).port !== proxyPort) throw new Error('the proxy is not on its port')
  await Promise.all(apps.map(async (app, i) => { await untilAnswers(`http://127.0.0.1:${appPorts[i]}/readyz`, app) }))

  return {
    url,
    sim,
    infra,
    served,
    workers,
    replaceWorker: async (i: number) => {
      const old = workers[i]
      old?.kill('SIGKILL')
      if (old) await exited(old)
      workers[i] = startWorker()
    },
    close: async () => {
      for (const child of [...apps, ...workers]) child.kill('SIGKILL')
      await Promise.all([...apps, ...workers].map(exited))
      await new Promise((resolve) => proxy.close(resolve))
      await sim.close()
      await infra.close()
    }
  }
}
