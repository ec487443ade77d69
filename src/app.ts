import Fastify, { type FastifyInstance } from 'fastify'
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod'
import { authenticateBeforeValidation, createRequireRole } from './auth/require-session'
import { registerApiDocs } from './http/api-docs'
import { answerFrameworkError, answerUnsupportedMethods, registerErrorHandling } from './http/error-handler'
import { registerRateLimiting } from './http/rate-limits'
import { registerWebPlugins } from './http/web-plugins'
import { ltiRoutes } from './lti/routes'
import { activityRoutes } from './routes/activities'
import { calendarRoutes } from './routes/calendar'
import { activityHomeSummary } from './routes/activities/home-summary'
import { apiMeRoutes } from './routes/home/api-me'
import { apiRosterRoutes } from './routes/roster/api'
import { completionRoutes } from './routes/completion'
import { completionHomeProgress } from './routes/completion/home-progress'
import { gradeRoutes } from './routes/grades'
import { growthRoutes } from './routes/growth'
import { assessmentHomePrompt } from './routes/growth/home-prompt'
import { lowAnswers } from './domain/feedback/low-answers'
import { gradeStatusDeps } from './routes/grades/grade-status'
import { participantsOf } from './domain/progress/course-table'
import { healthRoutes } from './routes/health'
import { homeRoutes } from './routes/home/pages'
import { poolRoutes } from './routes/pools'
import { instructorPairingRoutes } from './routes/pairing'
import { studentIntakeRoutes } from './routes/pairing/pages-intake'
import { rosterRoutes } from './routes/roster/pages'
import { atRiskPageRoutes } from './routes/notifications/pages-at-risk'
import { inAppNotificationRoutes } from './routes/notifications/pages-in-app'
import { notificationPageRoutes } from './routes/notifications/pages'
import { signInPageRoutes } from './routes/sign-in/pages'
import type { Services } from './services'
import { toRosterCourse } from './persistence/repositories/tenancy.repository'

/**
 * The HTTP app over the services built in services.ts: plugins, then each area's routes with exactly the services
 * they use. It starts no background work (workers.ts does) and closes nothing it did not open. `listen` (or
 * `ready`) finishes loading it, so the caller may still add hooks and decorators.
 */
export async function buildApp (services: Services): Promise<FastifyInstance> {
  const { config, log, tenancy, sessions, grading, activities, pools, rosterSync, events } = services
  const app = Fastify({
    loggerInstance: log,
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    requestIdHeader: 'x-request-id',
    frameworkErrors: answerFrameworkError
  })
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  const requireRole = createRequireRole(sessions, tenancy, {
    standing: services.sessionStanding,
    institutionZone: config.timeZone,
    unreadOf: async ({ role, user, course }) =>
      await services.notices.inApp.unread({ courseId: String(course._id), userId: String(user._id), role, poolId: course.poolId ? String(course.poolId) : null })
  })
  const menteesOf = services.pairings.menteeUserIdsOf
  const signedInMentorCourse = async (token: string): Promise<string | null> => {
    const session = await sessions.resolve(token)
    return session?.role === 'mentor' ? String(session.courseId) : null
  }

  authenticateBeforeValidation(app)
  answerUnsupportedMethods(app)
  await registerWebPlugins(app)
  await registerApiDocs(app, config.publicUrl)
  registerErrorHandling(app)
  await registerRateLimiting(app, config.rateLimits)
  await app.register(healthRoutes, { pingDatabase: services.db.ping })
  const { platforms, logins, loginStates } = services
  const launchUrl = `${config.publicUrl}/lti/launch`
  await app.register(ltiRoutes, {
    ltijs: services.ltijs,
    platformRegistry: services.platformRegistry,
    login: { platforms, loginStates, launchUrl, loginTtlSeconds: config.loginTtlSeconds },
    launch: { platforms, logins, loginStates, tenancy, sessions, verify: services.verifyIdToken, launchUrl, afterLaunch: [
      ({ course, userId, role }) => { services.sessionStanding.launched(String(course._id), String(userId), role) },
      ({ course, role }) => { rosterSync.afterLaunch({ course: toRosterCourse(course), role }) },
      ({ course, resourceLinkId }) => { grading.publisher.afterLaunch({ courseId: String(course._id), resourceLinkId }) },
      // Only a launch that made someone a member of the course (or changed their role) changes who is in it.
      ({ course, userId, role, joined }) => {
        if (joined) services.inBackground('publishing a new member', events.publish({ type: 'MemberJoined', courseId: String(course._id), userId: String(userId), role }))
      }
    ] },
    requireRole,
    deepLinkRequests: services.deepLinkRequests,
    registrationLinks: services.registrationLinks,
    registrationNetwork: config.registrationNetwork,
    publicUrl: config.publicUrl,
    secrets: { session: config.sessionSecret, registration: config.registrationSecret }
  })
  await app.register(homeRoutes, { requireRole, pairings: services.pairings, progress: services.progressReadModel, countActiveMentors: async (course) => await pools.poolService.countActive({ poolId: course.poolId ? String(course.poolId) : null }), activitySummary: activityHomeSummary(activities), completionProgress: completionHomeProgress({ completion: grading.completion }), assessmentPrompt: assessmentHomePrompt(services.growth), assessmentsOf: services.growth.assessmentsOf, hasSavedRules: grading.completion.hasSavedRules })
  await app.register(poolRoutes, { requireRole, pools })
  await app.register(apiMeRoutes, { requireRole, sessions })
  await app.register(activityRoutes, { requireRole, services: activities })
  await app.register(growthRoutes, { requireRole, growth: services.growth, completion: grading.completion })
  await app.register(calendarRoutes, { requireRole, calendars: services.calendars, write: services.calendarText })
  await app.register(instructorPairingRoutes, {
    requireRole, emailsPairings: services.mail.worker !== null, store: services.pairingStore, pairing: services.pairing, table: activities.progress.table, placeUnpaired: services.pairingMaintenance.placeUnpairedNow,
    published: services.publishedPairing, rematch: services.rematch, history: services.pairingHistory, events: services.events, isMentorOf: services.pairings.isMentorOf, menteesOf: services.pairings.menteeUserIdsOf,
    lowAnswers: async (courseId) => lowAnswers(...await Promise.all([services.growth.feedback.low(courseId), services.growth.checkIns.low(courseId)]))
  })
  await app.register(studentIntakeRoutes, { requireRole, store: services.pairingStore })
  await app.register(inAppNotificationRoutes, {
    requireRole, inApp: services.notices.inApp, preferences: services.notices.preferences, courseSettings: services.notices.courseSettings,
    emailOn: services.mail.worker !== null
  })
  await app.register(atRiskPageRoutes, {
    requireRole, atRisk: services.notices.atRisk, courseSettings: services.notices.courseSettings,
    lowFeedback: async (courseId) => {
      const [sessions, checkIns, table] = await Promise.all([services.growth.feedback.low(courseId), services.growth.checkIns.low(courseId), services.growth.table(courseId)])
      return lowAnswers(sessions, checkIns).map((f) => ({ ...f, studentName: table.get(f.studentUserId)?.name || table.get(f.studentUserId)?.email || 'Unnamed' }))
    }
  })
  await app.register(notificationPageRoutes, {
    preferences: services.notices.preferences, signer: services.notices.unsubscribeSigner,
    courseTitle: async (courseId) => (await services.tenancy.findCourse(courseId))?.title ?? null,
    signedInMentorCourse
  })
  await app.register(signInPageRoutes, {
    signIn: services.emailSignIn, endSession: services.sessions.end, secureCookies: config.publicUrl.startsWith('https:'), signedInMentorCourse
  })
  await app.register(rosterRoutes, { requireRole, rosterSync, table: activities.progress.table, mailFailures: services.mail.queue.failures })
  await app.register(apiRosterRoutes, { requireRole, rosterSync })
  await app.register(completionRoutes, { requireRole, completion: grading.completion, publisher: grading.publisher, menteesOf, table: activities.progress.table, selfAssessments: grading.selfAssessments })
  await app.register(gradeRoutes, { requireRole, status: gradeStatusDeps(grading, participantsOf(activities.progress.table)), outbox: grading.outbox, publisher: grading.publisher, kick: grading.worker.kick })
  return app
}
