import Fastify, { type FastifyInstance } from 'fastify'
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod'
import { createRequireRole } from './auth/require-session'
import { createSessionService } from './auth/session-service'
import type { Config } from './config'
import { registerApiDocs } from './http/api-docs'
import { registerErrorHandling } from './http/error-handler'
import { loggerOptions } from './http/logger'
import { registerWebPlugins } from './http/web-plugins'
import { createIdTokenVerifier } from './lti/id-token'
import { startLtijs, type LtijsAdapter } from './lti/ltijs-provider'
import { createPlatformKeys } from './lti/platform-keys'
import { createPlatformRegistry, type PlatformRegistry } from './lti/platform-registry'
import { ltiRoutes } from './lti/routes'
import { connectDatabase, type Database } from './persistence/database'
import { startEmbeddedServer } from './persistence/embedded-server'
import { createLoginRepository } from './persistence/repositories/login.repository'
import { createPlatformRepository } from './persistence/repositories/platform.repository'
import { createTenancyRepository } from './persistence/repositories/tenancy.repository'
import { startSweeper } from './persistence/sweeper'
import { apiMeRoutes } from './routes/api-me'
import { healthRoutes } from './routes/health'
import { homeRoutes } from './routes/homes'

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
    db: Database
    platformRegistry: PlatformRegistry
    /** OAuth2 access tokens for LTI Advantage services, obtained with the tool's signed client assertion. */
    serviceTokens: Pick<LtijsAdapter, 'accessToken' | 'forgetAccessToken'>
  }
}

/** Where the embedded server keeps data when no MONGODB_URI is given; the database name is fixed. */
async function resolveMongoUri (config: Config, onClose: Array<() => Promise<void>>): Promise<string> {
  if (config.mongodbUri) return config.mongodbUri
  const server = await startEmbeddedServer({ dataDir: config.dataDir })
  onClose.push(server.stop)
  return `${server.uri}/mentorlink`
}

/** The composition root: builds every part from the configuration and wires them into one Fastify instance. */
export async function buildApp (config: Config): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(config.logLevel),
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    requestIdHeader: 'x-request-id'
  })
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)

  const closers: Array<() => Promise<void>> = []
  app.addHook('onClose', async () => { for (const close of closers.reverse()) await close() })

  try {
    const mongoUri = await resolveMongoUri(config, closers)
    const db = await connectDatabase(mongoUri)
    closers.push(db.close)
    const ltijs = await startLtijs(mongoUri, config.ltiEncryptionKey)
    closers.push(ltijs.close)
    const sweeper = startSweeper(db.connection, config.sweepIntervalSeconds, (err) => app.log.warn({ err }, 'sweep failed'))
    closers.push(async () => sweeper.stop())

    const platforms = createPlatformRepository(db.models)
    const tenancy = createTenancyRepository(db.models)
    const logins = createLoginRepository(db.models)
    const sessions = createSessionService(db.models, { secret: config.sessionSecret, ttlSeconds: config.sessionTtlSeconds })
    const requireRole = createRequireRole(sessions, tenancy)
    const launchUrl = `${config.publicUrl}/lti/launch`
    const verify = createIdTokenVerifier({
      keys: createPlatformKeys({ cacheSeconds: config.jwksCacheSeconds, refetchCooldownSeconds: config.jwksRefetchCooldownSeconds }),
      clockLeewaySeconds: config.clockLeewaySeconds,
      maxAgeSeconds: config.loginTtlSeconds
    })

    app.decorate('config', config)
    app.decorate('db', db)
    app.decorate('platformRegistry', createPlatformRegistry(platforms, ltijs))
    app.decorate('serviceTokens', { accessToken: ltijs.accessToken, forgetAccessToken: ltijs.forgetAccessToken })

    await registerWebPlugins(app)
    await registerApiDocs(app, config.publicUrl)
    registerErrorHandling(app)
    await app.register(healthRoutes, { connection: db.connection })
    await app.register(ltiRoutes, {
      ltijs,
      login: { platforms, logins, launchUrl, loginTtlSeconds: config.loginTtlSeconds },
      launch: { platforms, logins, tenancy, sessions, verify, launchUrl }
    })
    await app.register(homeRoutes, { requireRole, tenancy })
    await app.register(apiMeRoutes, { requireRole })
    await app.ready()
    return app
  } catch (err) {
    await app.close()
    throw err
  }
}
