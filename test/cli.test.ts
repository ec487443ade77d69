import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { testDatabaseUri } from './helpers/test-app'

const root = path.resolve(__dirname, '..')
const mongo = testDatabaseUri()
const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/platform.ts', ...args], {
  cwd: root, encoding: 'utf8', timeout: 120_000,
  env: { PATH: process.env.PATH, MONGODB_URI: mongo, NODE_ENV: 'test', LOG_LEVEL: 'silent', LTI_TOOL_KEY_BITS: '2048' }
})

describe('npm run platform', () => {
  const platform = [
    '--issuer', 'https://lms.example.edu', '--client-id', 'abc123', '--name', 'Example LMS',
    '--auth-url', 'https://lms.example.edu/auth', '--token-url', 'https://lms.example.edu/token',
    '--jwks-url', 'https://lms.example.edu/jwks', '--deployment-id', 'd1', '--deployment-id', 'd2'
  ]

  it('adds, lists and removes a platform', () => {
    const add = cli('add', ...platform)
    expect(add.stderr).toBe('')
    expect(add.stdout).toMatch(/Registered https:\/\/lms.example.edu \(client id abc123, deployments d1, d2\)/)
    const list = cli('list')
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ issuer: 'https://lms.example.edu', clientId: 'abc123', deploymentIds: ['d1', 'd2'] })])
    expect(cli('remove', '--issuer', 'https://lms.example.edu', '--client-id', 'abc123').stdout).toMatch(/Removed/)
    expect(cli('list').stdout).toMatch(/No platforms registered/)
  })

  it('refuses a platform with a bad URL, naming the field', () => {
    const bad = cli('add', ...platform.map((v) => v === 'https://lms.example.edu/jwks' ? 'not a url' : v))
    expect(bad.status).toBe(1)
    expect(bad.stderr).toMatch(/jwksUrl/)
  })
})
