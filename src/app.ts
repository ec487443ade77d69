import Fastify, { type FastifyInstance } from 'fastify'
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod'
import { createRequireRole } from './auth/require-session'
import { createSessionService } from './auth/session-service'
import type { Config } from './config'
import { createPairingMaintenance } from './domain/pairing-workflow/pairing-maintenance'
import { createPairingService } from './domain/pairing-workflow/pairing-service'
import { createPools } from './domain/pools'
import { createRosterSync } from './domain/roster/roster-sync'
import { registerApiDocs } from './http/api-docs'
import { registerErrorHandling } from './http/error-handler'
import { loggerOptions } from './http/logger'
import { registerWebPlugins } from './http/web-plugins'
import { buildGrading } from './jobs/grading'
import { createIdTokenVerifier } from './lti/id-token'
import { createNrpsClient } from './lti/nrps-client'
import { startLtijs, type LtijsAdapter } from './lti/ltijs-provider'
import { createPlatformKeys } from './lti/platform-keys'
import { createPlatformRegistry, type PlatformRegistry } from './lti/platform-registry'
import { ltiRoutes } from './lti/routes'
import { connectDatabase, type Database } from './persistence/database'
import { startEmbeddedServer } from './persistence/embedded-server'
import { createDeepLinkRequestRepository } from './persistence/repositories/deep-link-request.repository'
import { createLoginRepository } from './persistence/repositories/login.repository'
import { createPairingRepository } from './persistence/repositories/pairing.repository'
import { createPairingWorkflowRepository } from './persistence/repositories/pairing-workflow.repository'
import { createPlatformRepository } from './persistence/repositories/platform.repository'
import { createRegistrationLinkRepository } from './persistence/repositories/registration-link.repository'
import { createRosterSyncRepository } from './persistence/repositories/roster-sync.repository'
import { createRosterRepository } from './persistence/repositories/roster.repository'
import { createTenancyRepository } from './persistence/repositories/tenancy.repository'
import { startSweeper } from './persistence/sweeper'
import { activityRoutes } from './routes/activities'
import { activityHomeSummary } from './routes/activities/home-summary'
import { buildActivityServices } from './routes/activities/services'
import { apiMeRoutes } from './routes/home/api-me'
import { apiRosterRoutes } from './routes/roster/api'
import { completionRoutes } from './routes/completion'
import { progressChangeHook } from './routes/completion/change-hook'
import { completionHomeProgress } from './routes/completion/home-progress'
import { gradeRoutes } from './routes/grades'
import { gradeStatusDeps } from './routes/grades/grade-status'
import { healthRoutes } from './routes/health'
import { homeRoutes } from './routes/home/pages'
import { poolRoutes } from './routes/pools'
import { instructorPairingRoutes } from './routes/pairing'
import { studentIntakeRoutes } from './routes/pairing/pages-intake'
import { rosterRoutes } from './routes/roster/pages'

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
    const pairingStore = createPairingWorkflowRepository(db.models)
    const maintenance = createPairingMaintenance(pairingStore)
    const pools = createPools({
      models: db.models, tenancy, sessions, publicUrl: config.publicUrl, invitationTtlDays: config.mentorInvitationTtlDays,
      onMentorDeactivated: [async (mentor) => {
        for (const courseId of await pairingStore.coursesUsingPool(String(mentor.poolId))) await maintenance.repairMentor(courseId, String(mentor._id))
      }]
    })
    const requireRole = createRequireRole(sessions, tenancy)
    const launchUrl = `${config.publicUrl}/lti/launch`
    const verify = createIdTokenVerifier({
      keys: createPlatformKeys({ cacheSeconds: config.jwksCacheSeconds, refetchCooldownSeconds: config.jwksRefetchCooldownSeconds }),
      clockLeewaySeconds: config.clockLeewaySeconds,
      maxAgeSeconds: config.loginTtlSeconds
    })
    const roster = createRosterRepository(db.models)
    const inBackground = (what: string, work: Promise<unknown>): void => { work.catch((err: unknown) => app.log.error({ err }, `${what} failed`)) }
    const rosterSync = createRosterSync({
      tenancy,
      roster,
      syncs: createRosterSyncRepository(db.models),
      nrps: createNrpsClient({ tokens: ltijs }),
      maxAgeMinutes: config.rosterSyncMaxAgeMinutes,
      log: app.log,
      onDropped: [async (courseId, userIds) => {
        await maintenance.releaseStudents(String(courseId), userIds.map(String), 'dropped from the course')
      }],
      onSynced: [async (courseId) => { await maintenance.placeUnpaired(String(courseId)) }]
    })
    closers.push(rosterSync.close)
    const activities = buildActivityServices(db.models)
    const grading = buildGrading({ models: db.models, tokens: ltijs, config: config.grades, log: app.log, progressLoader: activities.progress })
    closers.push(grading.close)
    const menteesOf = createPairingRepository(db.models).menteeUserIdsOf

    app.decorate('config', config)
    app.decorate('db', db)
    app.decorate('platformRegistry', createPlatformRegistry(platforms, ltijs))
    app.decorate('serviceTokens', { accessToken: ltijs.accessToken, forgetAccessToken: ltijs.forgetAccessToken })
    app.decorate('grading', grading)

    await registerWebPlugins(app)
    await registerApiDocs(app, config.publicUrl)
    registerErrorHandling(app)
    // Successful writes to the mentoring record mark the course's completion for recomputing (routes/completion/change-hook.ts).
    app.addHook('onResponse', progressChangeHook(grading.publisher.changed))
    await app.register(healthRoutes, { connection: db.connection })
    await app.register(ltiRoutes, {
      ltijs,
      login: { platforms, logins, launchUrl, loginTtlSeconds: config.loginTtlSeconds },
      launch: { platforms, logins, tenancy, sessions, verify, launchUrl, afterLaunch: [
        rosterSync.afterLaunch,
        grading.publisher.afterLaunch,
        ({ courseId, role }) => { if (role === 'student') inBackground('late pairing', maintenance.placeUnpaired(String(courseId))) }
      ] },
      requireRole,
      deepLinkRequests: createDeepLinkRequestRepository(db.models),
      registrationLinks: createRegistrationLinkRepository(db.models),
      publicUrl: config.publicUrl,
      secrets: { session: config.sessionSecret, registration: config.registrationSecret }
    })
    await app.register(homeRoutes, { requireRole, tenancy, pairings: createPairingRepository(db.models), countActiveMentors: pools.poolService.countActive, activitySummary: activityHomeSummary(activities), completionProgress: completionHomeProgress({ completion: grading.completion, menteesOf }) })
    await app.register(poolRoutes, { requireRole, pools })
    await app.register(apiMeRoutes, { requireRole })
    await app.register(activityRoutes, { requireRole, services: activities })
    await app.register(instructorPairingRoutes, { requireRole, store: pairingStore, pairing: createPairingService(pairingStore) })
    await app.register(studentIntakeRoutes, { requireRole, store: pairingStore })
    await app.register(rosterRoutes, { requireRole, rosterSync, roster })
    await app.register(apiRosterRoutes, { requireRole, rosterSync })
    await app.register(completionRoutes, { requireRole, completion: grading.completion, publisher: grading.publisher, menteesOf })
    await app.register(gradeRoutes, { requireRole, status: gradeStatusDeps(grading), outbox: grading.outbox, publisher: grading.publisher, kick: grading.worker.kick })
    grading.start()
    await app.ready()
    return app
  } catch (err) {
    await app.close()
    throw err
  }
}
