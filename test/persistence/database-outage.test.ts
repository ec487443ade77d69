import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createSessionService } from '../../src/auth/session-service'
import { connectDatabase } from '../../src/persistence/database'
import { ensureFerretDbBinary, freePort, runFerretDb, type RunningFerretDb } from '../../src/persistence/ferretdb'

/**
 * The database goes away for 20 s under traffic (its own FerretDB, killed and started again on the same port and
 * files): every answer meanwhile is a quick 503, and everything works again soon after it is back. The app runs as
 * its own process, as in production (`src/server.ts`).
 */
const OUTAGE_MS = 20_000
const SECRET = 'outage-session-secret-0123456789abcdef0123'
const root = path.resolve(__dirname, '..', '..')
let binary = ''
let dataDir = ''
let ferret: RunningFerretDb
let server: ChildProcess
let base = ''
let session = ''

beforeAll(async () => {
  binary = await ensureFerretDbBinary(path.join(root, '.cache'), () => {})
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'mentorlink-outage-'))
  ferret = await runFerretDb(binary, dataDir)
  const uri = `mongodb://127.0.0.1:${ferret.port}/outage`

  // An instructor signed in to a course, as a launch would leave them.
  const db = await connectDatabase(uri)
  const course = await db.models.courses.create({ issuer: 'https://lms.example.edu', clientId: 'c', deploymentId: 'd', contextId: 'out101', title: 'Negotiation' })
  const user = await db.models.users.create({ issuer: 'https://lms.example.edu', clientId: 'c', deploymentId: 'd', sub: 'prof', name: 'Amara Okafor' })
  await db.models.memberships.create({ courseId: course._id, userId: user._id, role: 'instructor' })
  session = await createSessionService(db.models, { secret: SECRET, ttlSeconds: 3600 }).create(user._id, course._id, 'instructor')
  await db.close()

  const port = await freePort()
  base = `http://127.0.0.1:${port}`
  server = spawn(process.execPath, ['--import', 'tsx', path.join('src', 'server.ts')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env, NODE_ENV: 'test', DEMO: 'false', LOG_LEVEL: 'silent', PORT: String(port), PUBLIC_URL: base, MONGODB_URI: uri, SMTP_URL: process.env.TEST_SMTP_URL,
      LTI_ENCRYPTION_KEY: 'outage-encryption-key-0123456789abcdef0123', SESSION_SECRET: SECRET, LTI_TOOL_KEY_BITS: '2048'
    }
  })
  for (let i = 0; ; i++) {
    if (await fetch(`${base}/healthz`).then((res) => res.ok, () => false)) break
    if (i > 300) throw new Error('the app did not start')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}, 60_000)

afterAll(async () => {
  server?.kill('SIGKILL')
  await ferret?.stop()
})

const requests = [
  { path: '/instructor', accept: 'text/html' },
  { path: '/api/v1/me', accept: 'application/json' },
  { path: '/readyz', accept: 'application/json' }
]
const ask = async ({ path: where, accept }: typeof requests[number]) => {
  const started = Date.now()
  const res = await fetch(`${base}${where}`, { headers: { accept, authorization: `Bearer ${session}` } })
  const body = await res.text()
  return { path: where, status: res.status, ms: Date.now() - started, body, retryAfter: res.headers.get('retry-after') }
}

it('answers 503 within a second while the database is gone, and works again within 2 s of its return', async () => {
  for (const request of requests) expect((await ask(request)).status).toBe(200)

  await ferret.stop()
  const answers: Array<Awaited<ReturnType<typeof ask>>> = []
  const until = Date.now() + OUTAGE_MS
  while (Date.now() < until) answers.push(...await Promise.all(requests.map(ask)))
  expect(answers.length).toBeGreaterThan(30)
  expect(answers.filter((a) => a.status !== 503)).toEqual([])
  expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(1000)
  const page = answers.find((a) => a.path === '/instructor')
  expect(page?.body).toContain('cannot reach its database')
  expect(page?.retryAfter).toBe('5')

  ferret = await runFerretDb(binary, dataDir, ferret.port)
  const back = Date.now()
  for (;;) {
    const statuses = (await Promise.all(requests.map(ask))).map((a) => a.status)
    if (statuses.every((s) => s === 200)) break
    if (Date.now() - back > 2000) throw new Error(`still ${statuses.join(', ')} 2 s after the database returned`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}, 60_000)
