import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { loadConfig, type Config } from '../../src/config'
import { startMentorlink } from '../../src/mentorlink'
import type { Services } from '../../src/services'
import { freePort } from '../../src/persistence/ferretdb'

/** A fresh database name on the run's shared server, so test files never see each other's data. */
export function testDatabaseUri (): string {
  const base = process.env.TEST_MONGODB_BASE
  if (!base) throw new Error('TEST_MONGODB_BASE is not set: run the tests through jest (test/global-setup.ts)')
  return `${base}/t_${randomBytes(6).toString('hex')}`
}

/** Tests and benchmarks launch, sign in and check in far faster than people do, all from one address. */
export const NO_RATE_LIMITS = {
  RATE_LIMIT_LAUNCHES_PER_MINUTE: '1000000',
  RATE_LIMIT_REGISTRATIONS_PER_MINUTE: '1000000',
  RATE_LIMIT_CHECK_INS_PER_MINUTE: '1000000',
  RATE_LIMIT_EMAIL_SIGN_INS_PER_MINUTE: '1000000'
}

export async function testConfig (overrides: Record<string, string> = {}): Promise<Config> {
  const port = await freePort()
  return loadConfig({
    NODE_ENV: 'test',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    MONGODB_URI: testDatabaseUri(),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    LTI_JWKS_REFETCH_COOLDOWN_SECONDS: '0',
    LTI_ENCRYPTION_KEY: 'test-encryption-key-0123456789abcdef0123',
    SESSION_SECRET: 'test-session-secret-0123456789abcdef01234',
    // 4096-bit tool keys (the production default) take seconds each to generate; 2048 is the RS256 minimum.
    LTI_TOOL_KEY_BITS: '2048',
    // The run's Mailpit (test/global-setup.ts): email sent by the app can be read back with test/helpers/mailpit.ts.
    SMTP_URL: process.env.TEST_SMTP_URL,
    ...NO_RATE_LIMITS,
    ...overrides
  })
}

/** What tests and benchmarks reach past the HTTP interface for: to seed and inspect the database, watch events and grades, and drive services. */
type TestHandles = Pick<Services, 'config' | 'db' | 'events' | 'grading' | 'mail' | 'notices' | 'pairing' | 'platformRegistry' | 'progressReadModel' | 'rosterSync' | 'serviceTokens' | 'settled'>

declare module 'fastify' {
  interface FastifyInstance extends TestHandles {}
}

/**
 * Starts a whole app process (services, HTTP app, workers) as `npm start` does and listens on loopback: the LMS
 * simulator calls back into it (JWKS) over HTTP. The instance carries the test handles; closing it stops everything.
 */
export async function startTestAppWith (config: Config): Promise<FastifyInstance> {
  const { app, services } = await startMentorlink(config)
  app.decorate('config', services.config)
  app.decorate('db', services.db)
  app.decorate('events', services.events)
  app.decorate('grading', services.grading)
  app.decorate('mail', services.mail)
  app.decorate('notices', services.notices)
  app.decorate('platformRegistry', services.platformRegistry)
  app.decorate('progressReadModel', services.progressReadModel)
  app.decorate('pairing', services.pairing)
  app.decorate('rosterSync', services.rosterSync)
  app.decorate('serviceTokens', services.serviceTokens)
  app.decorate('settled', services.settled)
  await app.listen({ host: '127.0.0.1', port: config.port })
  return app
}

export async function startTestApp (overrides: Record<string, string> = {}): Promise<FastifyInstance> {
  return await startTestAppWith(await testConfig(overrides))
}
