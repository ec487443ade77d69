import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { PROFILE_NAMES } from '@mentorlink/simulator'
import { ConfigError, DEFAULT_MAIL_FROM, loadConfig, PLACEHOLDER_SECRETS, SIMULATOR_PROFILES } from '../src/config'

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

  it('refuses the example secrets of .env.example in production, naming the variable and how to make one', () => {
    const example = new Map(readFileSync(path.resolve(__dirname, '../.env.example'), 'utf8').split('\n')
      .map((line) => /^([A-Z_]+)=(.*)$/.exec(line.trim())).filter((m) => m !== null).map((m) => [m[1], m[2]]))
    const production = { NODE_ENV: 'production', PUBLIC_URL: 'https://mentorlink.example.edu', MONGODB_URI: 'mongodb://db:27017/mentorlink' }
    for (const key of ['LTI_ENCRYPTION_KEY', 'SESSION_SECRET']) {
      const placeholder = example.get(key)
      expect(placeholder).toBeDefined()
      expect(PLACEHOLDER_SECRETS.has(placeholder as string)).toBe(true)
      const own = { LTI_ENCRYPTION_KEY: 'a'.repeat(48), SESSION_SECRET: 'b'.repeat(48) }
      expect(() => loadConfig({ ...production, ...own, [key]: placeholder })).toThrow(new RegExp(`${key}: is the published example value[^\n]*openssl rand -base64 48`))
      // Development and tests may keep them.
      expect(loadConfig({ ...own, [key]: placeholder }).env).toBe('development')
    }
    expect(() => loadConfig({ ...production, LTI_ENCRYPTION_KEY: 'development-only-secret-change-me-0123456789', SESSION_SECRET: 'b'.repeat(48) })).toThrow(/LTI_ENCRYPTION_KEY: is the published example value/)
    expect(loadConfig({ ...production, LTI_ENCRYPTION_KEY: 'a'.repeat(48), SESSION_SECRET: 'b'.repeat(48) }).env).toBe('production')
  })

  it('lets dynamic registration call private networks outside production only, unless told otherwise', () => {
    const production = { NODE_ENV: 'production', PUBLIC_URL: 'https://mentorlink.example.edu', MONGODB_URI: 'mongodb://db:27017/mentorlink', LTI_ENCRYPTION_KEY: 'a'.repeat(48), SESSION_SECRET: 'b'.repeat(48) }
    expect(loadConfig({}).registrationNetwork).toEqual({ allowPrivateNetworks: true, allowedHosts: [] })
    expect(loadConfig(production).registrationNetwork).toEqual({ allowPrivateNetworks: false, allowedHosts: [] })
    expect(loadConfig({ ...production, REGISTRATION_ALLOW_PRIVATE_NETWORKS: 'true' }).registrationNetwork.allowPrivateNetworks).toBe(true)
    expect(loadConfig({ REGISTRATION_ALLOW_PRIVATE_NETWORKS: 'false' }).registrationNetwork.allowPrivateNetworks).toBe(false)
    expect(loadConfig({ REGISTRATION_ALLOWED_HOSTS: ' lms.campus.example.edu, 10.20.0.0/16,192.168.7.7 ,fd00::/8' }).registrationNetwork.allowedHosts)
      .toEqual(['lms.campus.example.edu', '10.20.0.0/16', '192.168.7.7', 'fd00::/8'])
    for (const bad of ['https://lms.example.edu', '10.0.0.0/33', 'lms example', '10.0.0.0/8/8']) {
      expect(() => loadConfig({ REGISTRATION_ALLOWED_HOSTS: bad })).toThrow(/REGISTRATION_ALLOWED_HOSTS: must be a comma-separated list of host names, IP addresses and CIDR blocks/)
    }
  })

  it('checks memberships of sessions every 30 seconds unless told otherwise', () => {
    expect(loadConfig({}).sessionMembershipCheckSeconds).toBe(30)
    expect(loadConfig({ SESSION_MEMBERSHIP_CHECK_SECONDS: '0' }).sessionMembershipCheckSeconds).toBe(0)
    expect(() => loadConfig({ SESSION_MEMBERSHIP_CHECK_SECONDS: '-1' })).toThrow(/SESSION_MEMBERSHIP_CHECK_SECONDS/)
  })

  describe('email', () => {
    const production = { NODE_ENV: 'production', PUBLIC_URL: 'https://mentorlink.example.edu', MONGODB_URI: 'mongodb://db:27017/mentorlink', LTI_ENCRYPTION_KEY: 'a'.repeat(48), SESSION_SECRET: 'b'.repeat(48) }

    it('sends to the embedded Mailpit from a development address when nothing is set, outside production', () => {
      for (const env of [{}, { NODE_ENV: 'test' }, { ...production, DEMO: 'true' }]) {
        expect(loadConfig(env).email).toEqual({ enabled: true, embedded: true, smtpUrl: undefined, from: { name: 'Mentorlink', address: 'no-reply@mentorlink.localhost' } })
      }
      expect(DEFAULT_MAIL_FROM).toBe('Mentorlink <no-reply@mentorlink.localhost>')
    })

    it('sends through SMTP_URL from MAIL_FROM, read into its name and address', () => {
      expect(loadConfig({ ...production, SMTP_URL: 'smtp://user:pw@smtp.example.edu:587', MAIL_FROM: '"Mentorlink, Business School" <mentoring@example.edu>' }).email)
        .toEqual({ enabled: true, embedded: false, smtpUrl: 'smtp://user:pw@smtp.example.edu:587', from: { name: 'Mentorlink, Business School', address: 'mentoring@example.edu' } })
      expect(loadConfig({ SMTP_URL: 'smtps://smtp.example.edu', MAIL_FROM: 'mentoring@example.edu' }).email).toMatchObject({ smtpUrl: 'smtps://smtp.example.edu', from: { address: 'mentoring@example.edu' } })
    })

    it('turns email off in production without SMTP_URL, saying why', () => {
      const email = loadConfig(production).email
      expect(email).toEqual({ enabled: false, embedded: false, disabledReason: expect.stringMatching(/SMTP_URL is not set/) })
    })

    it('refuses a URL that is not SMTP, a sender that is not an address, and SMTP_URL without MAIL_FROM in production', () => {
      expect(() => loadConfig({ SMTP_URL: 'https://smtp.example.edu' })).toThrow(/SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL/)
      for (const bad of ['Mentorlink', 'Mentorlink <no-reply>', 'a@b c@d']) expect(() => loadConfig({ MAIL_FROM: bad })).toThrow(/MAIL_FROM: must be an email address/)
      expect(() => loadConfig({ ...production, SMTP_URL: 'smtp://smtp.example.edu:587' })).toThrow(/MAIL_FROM: is required in production when SMTP_URL is set/)
    })
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
