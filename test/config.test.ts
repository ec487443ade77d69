import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { PROFILE_NAMES } from '@mentorlink/simulator'
import { ConfigError, loadConfig, SIMULATOR_PROFILES } from '../src/config'

describe('configuration', () => {
  it('has working defaults for a local demo', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({ port: 3000, publicUrl: 'http://localhost:3000', demo: true })
  })

  it('accepts exactly the simulator\'s profiles for SIMULATOR_PROFILE', () => {
    // Production config cannot import the simulator (a development package), so it keeps its own list.
    expect([...SIMULATOR_PROFILES].sort()).toEqual([...PROFILE_NAMES].sort())
    for (const profile of PROFILE_NAMES) expect(loadConfig({ SIMULATOR_PROFILE: profile }).simulatorProfile).toBe(profile)
    expect(() => loadConfig({ SIMULATOR_PROFILE: 'blackboard' })).toThrow(/SIMULATOR_PROFILE/)
  })

  it('makes 4096-bit tool keys unless told otherwise, and never fewer than 2048 bits', () => {
    expect(loadConfig({}).toolKeyBits).toBe(4096)
    expect(loadConfig({ LTI_TOOL_KEY_BITS: '2048' }).toolKeyBits).toBe(2048)
    expect(() => loadConfig({ LTI_TOOL_KEY_BITS: '1024' })).toThrow(/LTI_TOOL_KEY_BITS/)
  })

  it('names every bad variable in one error', () => {
    let error: unknown
    try { loadConfig({ PORT: 'eighty', MONGODB_URI: 'postgres://x', LOG_LEVEL: 'loud' }) } catch (err) { error = err }
    expect(error).toBeInstanceOf(ConfigError)
    const { problems } = error as ConfigError
    expect(problems.join('\n')).toMatch(/PORT/)
    expect(problems.join('\n')).toMatch(/MONGODB_URI: must start with mongodb:\/\//)
    expect(problems.join('\n')).toMatch(/LOG_LEVEL/)
  })

  it('requires secrets, the public URL and the database in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/LTI_ENCRYPTION_KEY[\s\S]*SESSION_SECRET[\s\S]*PUBLIC_URL[\s\S]*MONGODB_URI/)
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'short' })).toThrow(/SESSION_SECRET: must be at least 32 characters/)
  })

  it('stops start-up with a message naming the variable', () => {
    const root = path.resolve(__dirname, '..')
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: root, env: { PATH: process.env.PATH, PORT: 'not-a-port', SESSION_TTL_SECONDS: '5' }, encoding: 'utf8', timeout: 60_000
    })
    expect(run.status).toBe(1)
    expect(run.stderr).toMatch(/Mentorlink cannot start/)
    expect(run.stderr).toMatch(/PORT/)
    expect(run.stderr).toMatch(/SESSION_TTL_SECONDS/)
  })
})
