import { spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { runPlatformCommand } from '../src/cli/platform-command'
import { startEmbeddedServer, type EmbeddedServer } from '../src/persistence/embedded-server'
import { testDatabaseUri } from './helpers/test-app'

const root = path.resolve(__dirname, '..')
const mongo = testDatabaseUri()
/** One command as `npm run platform` runs it, in this process: what it printed and its exit code. */
const cli = async (...args: string[]) => {
  let stdout = ''
  let stderr = ''
  const env = { MONGODB_URI: mongo, NODE_ENV: 'test', LOG_LEVEL: 'silent', LTI_TOOL_KEY_BITS: '2048' }
  const status = await runPlatformCommand(args, env, { out: (t) => { stdout += t }, err: (t) => { stderr += t } })
  return { status, stdout, stderr }
}

describe('npm run platform', () => {
  const platform = [
    '--issuer', 'https://lms.example.edu', '--client-id', 'abc123', '--name', 'Example LMS',
    '--auth-url', 'https://lms.example.edu/auth', '--token-url', 'https://lms.example.edu/token',
    '--jwks-url', 'https://lms.example.edu/jwks', '--deployment-id', 'd1', '--deployment-id', 'd2'
  ]

  it('adds, lists and removes a platform', async () => {
    const add = await cli('add', ...platform)
    expect(add.stderr).toBe('')
    expect(add.stdout).toMatch(/Registered https:\/\/lms.example.edu \(client id abc123, deployments d1, d2\)/)
    const list = await cli('list')
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ issuer: 'https://lms.example.edu', clientId: 'abc123', deploymentIds: ['d1', 'd2'] })])
    expect((await cli('remove', '--issuer', 'https://lms.example.edu', '--client-id', 'abc123')).stdout).toMatch(/Removed/)
    expect((await cli('list')).stdout).toMatch(/No platforms registered/)
  })

  it('refuses a platform with a bad URL, naming the field', async () => {
    const bad = await cli('add', ...platform.map((v) => v === 'https://lms.example.edu/jwks' ? 'not a url' : v))
    expect(bad.status).toBe(1)
    expect(bad.stderr).toMatch(/jwksUrl/)
  })
})

describe('npm run platform while the app runs on the embedded database', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mentorlink-cli-'))
  let running: EmbeddedServer

  beforeAll(async () => { running = await startEmbeddedServer({ dataDir, preferred: 'ferretdb', say: () => {} }) })
  afterAll(async () => { await running?.stop() })

  it('joins the running server instead of starting a second one on the same files', () => {
    const list = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/platform.ts', 'list'], {
      cwd: root, encoding: 'utf8', timeout: 120_000,
      env: { PATH: process.env.PATH, DATA_DIR: dataDir, NODE_ENV: 'test', LOG_LEVEL: 'silent', LTI_TOOL_KEY_BITS: '2048' }
    })
    expect(list.status).toBe(0)
    expect(list.stderr).toContain(`Using the embedded database already running for ${dataDir} (${running.uri})`)
    expect(list.stdout).toMatch(/No platforms registered/)
  })
})
