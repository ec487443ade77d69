import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import pino from 'pino'
import { createSessionService } from './auth/session-service'
import { createSessionStanding } from './auth/session-standing'
import type { Config } from './config'
import { createAccess } from './domain/activities/access'
import { createActivityService } from './domain/activities/activity-records'
import { createBookingService } from './domain/booking/booking-service'
import { sessionEntry } from './domain/booking/session-calendar'
import type { Booking } from './domain/booking/ports'
import { createAttendanceService } from './domain/activities/field-trip-attendance'
import { createFieldTripService } from './domain/activities/field-trip-service'
import { createGoalService } from './domain/activities/goal-records'
import { createContactService, createReflectionService } from './domain/activities/note-records'
import { createProgressLoader } from './domain/activities/progress-loader'
import { createProgressReadModel } from './domain/progress/progress-read-model'
import { createLeases } from './persistence/leases'
import { activitiesProgressSource, withSelfAssessments } from './domain/completion/activities-progress'
import { createCompletionService } from './domain/completion/completion-service'
import { createEventBus } from './domain/events/event-bus'
import { createGradePublisher } from './domain/grading/grade-publisher'
import { createSharedPacing } from './domain/grading/shared-pacing'
import { createLineItemRecovery, createLineItemResolver } from './domain/grading/line-item-resolver'
import { createPlatformPacer } from './domain/grading/platform-pacer'
import { subscribeGradeRecompute } from './domain/grading/recompute-on-events'
import { createScoreSender } from './domain/grading/score-sender'
import type { Id } from './domain/ids'
import { createPairingMaintenance } from './domain/pairing-workflow/pairing-maintenance'
import { createPairingService } from './domain/pairing-workflow/pairing-service'
import { subscribePairingHistory } from './domain/pairing-workflow/pairing-history'
import { createPublishedPairing } from './domain/pairing-workflow/published-pairing'
import { createRematchRequests } from './domain/pairing-workflow/rematch-requests'
import { createPools } from './domain/pools'
import { createRosterSync } from './domain/roster/roster-sync'
import { createTermService } from './domain/term/term-service'
import { createAssessmentService } from './domain/competencies/assessment-service'
import { assessmentPoints } from './domain/competencies/assessment-points'
import { createFrameworkService } from './domain/competencies/framework-service'
import { createFeedbackService } from './domain/feedback/feedback-service'
import { createCheckInRepository, createFeedbackRepository } from './persistence/repositories/session-feedback.repository'
import { createCheckInService } from './domain/feedback/check-ins'
import { createAssessmentRepository, createFrameworkRepository, createInstructorCourses } from './persistence/repositories/competency.repository'
import { loggerOptions } from './http/logger'
import { createGradeWorker } from './jobs/grade-worker'
import { createMailWorker, type MailWorker } from './jobs/mail-worker'
import { createSmtpSender } from './notifications/smtp-sender'
import { createMailQueueRepository } from './persistence/repositories/mail-queue.repository'
import type { MailQueue } from './domain/notifications/ports'
import { buildNotices, openLinkOf } from './notice-services'
import { CALENDAR_FEED_PATH, createCalendars } from './domain/calendar/calendars'
import { milestoneSource, sessionSource, tripSource } from './domain/calendar/calendar-sources'
import { createCalendarFeedRepository } from './persistence/repositories/calendar-feed.repository'
import { createTakingPart } from './persistence/repositories/taking-part.repository'
import { createMentorPhotoRepository } from './persistence/repositories/mentor-photo.repository'
import { addDays } from './domain/term/calendar-day'
import { termOf } from './domain/term/term'
import { createEmailRenderer } from './notifications/email-renderer'
import { calendarText } from './notifications/calendar-file'
import { createEmailSignIn } from './domain/pools/email-sign-in'
import { createSignInRepository } from './persistence/repositories/sign-in.repository'
import { VIEWS_DIR } from './http/web-plugins'
import { dayLabel } from './http/date-labels'
import { createAgsClient } from './lti/ags-client'
import { createIdTokenVerifier } from './lti/id-token'
import { startLtijs, type LtijsAdapter } from './lti/ltijs-provider'
import { createLoginStates } from './lti/login-state'
import { createNrpsClient } from './lti/nrps-client'
import { createPlatformKeys } from './lti/platform-keys'
import { createPlatformRegistry } from './lti/platform-registry'
import { createServiceTokenCache } from './lti/service-token-cache'
import { toObjectId } from './persistence/ids'
import { connectDatabase, type Database } from './persistence/database'
import { startEmbeddedServer } from './persistence/embedded-server'
import { createStudentRecordRepositories } from './persistence/repositories/activity.repository'
import { createAttendanceRepository } from './persistence/repositories/attendance.repository'
import { createBookingRepository, createSlotRepository } from './persistence/repositories/booking.repository'
import { createAuditRepository } from './persistence/repositories/audit.repository'
import { createCoursePeople } from './persistence/repositories/course-people.repository'
import { createDeepLinkRequestRepository } from './persistence/repositories/deep-link-request.repository'
import { createFieldTripRepository, createFieldTripSettingsRepository } from './persistence/repositories/field-trip.repository'
import { createGradingStores } from './persistence/repositories/grading-stores'
import { createLoginRepository } from './persistence/repositories/login.repository'
import { createMentorInvitationRepository } from './persistence/repositories/mentor-invitation.repository'
import { createMentorRepository } from './persistence/repositories/mentor.repository'
import { createPairingWorkflowRepository } from './persistence/repositories/pairing-workflow.repository'
import { createPairingRepository } from './persistence/repositories/pairing.repository'
import { createPairingHistoryRepository } from './persistence/repositories/pairing-history.repository'
import { createRematchRequestRepository } from './persistence/repositories/rematch-request.repository'
import { createPlatformRepository } from './persistence/repositories/platform.repository'
import { createPoolRepository } from './persistence/repositories/pool.repository'
import { createProgressRepository } from './persistence/repositories/progress.repository'
import { lmsMentorsIn, sumTotals, totalsOf } from './domain/progress/course-table'
import { createRegistrationLinkRepository } from './persistence/repositories/registration-link.repository'
import { createRosterSyncRepository } from './persistence/repositories/roster-sync.repository'
import { createRosterRepository } from './persistence/repositories/roster.repository'
import { createRsvpRepository } from './persistence/repositories/rsvp.repository'
import { createTenancyRepository } from './persistence/repositories/tenancy.repository'
import { createTermRepository } from './persistence/repositories/term.repository'

/**
 * The one composition root. Everything Mentorlink runs on is built here, once, from the configuration: the
 * database and ltijs (`connectInfrastructure`), then every repository, adapter and domain service
 * (`buildServices`). The HTTP app (app.ts), the background workers (workers.ts), the separate grade worker and
 * the CLI take what they use from here and build nothing themselves.
 */

/** pino, typed as Fastify takes it so the HTTP app logs through the same instance. */
export type Log = FastifyBaseLogger

/** The connections a process holds: the database (embedded when no MONGODB_URI is set) and ltijs. */
export interface Infrastructure {
  config: Config
  log: Log
  db: Database
  ltijs: LtijsAdapter
  close: () => Promise<void>
}

/** JSON lines for log collectors; in development, one readable line each (pino-pretty, a development package). */
export function createLog (config: Pick<Config, 'logLevel' | 'env'>): Log {
  const options = loggerOptions(config.logLevel) as pino.LoggerOptions
  if (config.env !== 'development') return pino(options)
  return pino({ ...options, transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss', singleLine: true } } })
}

export async function connectInfrastructure (config: Config, log: Log = createLog(config)): Promise<Infrastructure> {
  const closers: Array<() => Promise<void>> = []
  const close = async (): Promise<void> => { for (const step of closers.reverse()) await step() }
  try {
    let mongoUri = config.mongodbUri
    if (!mongoUri) {
      const server = await startEmbeddedServer({ dataDir: config.dataDir, preferred: config.embeddedDb })
      closers.push(server.stop)
      mongoUri = `${server.uri}/mentorlink`
    }
    const db = await connectDatabase(mongoUri)
    closers.push(db.close)
    const ltijs = await startLtijs(mongoUri, config.ltiEncryptionKey, config.toolKeyBits)
    closers.push(ltijs.close)
    return { config, log, db, ltijs, close }
  } catch (err) {
    await close()
    throw err
  }
}

/** What registering an LMS needs, for the CLI as for the app: the platform registry and one-time registration links. */
export function buildPlatformAdmin ({ db, ltijs }: Pick<Infrastructure, 'db' | 'ltijs'>) {
  const platforms = createPlatformRepository(db.models)
  return { platforms, platformRegistry: createPlatformRegistry(platforms, ltijs), registrationLinks: createRegistrationLinkRepository(db.models) }
}

/** What sends queued scores to the LMS, with the grade stores: enough for a grade worker on its own (jobs/grade-worker-main.ts). */
export function buildGradeSending ({ config, log, db, ltijs }: Pick<Infrastructure, 'config' | 'log' | 'db' | 'ltijs'>) {
  const grades = config.grades
  const stores = createGradingStores(db)
  const ags = createAgsClient({ tokens: createServiceTokenCache(ltijs), timeoutMs: grades.requestTimeoutMs })
  const pacing = createSharedPacing({ store: stores.paces, workerId: randomUUID(), log })
  const send = createScoreSender({
    ags, pacer: createPlatformPacer({ shared: pacing }), backoff: { baseMs: grades.retryBaseMs, maxMs: grades.retryMaxSeconds * 1000 },
    lineItemGone: createLineItemRecovery({ syncs: stores.syncs })
  })
  const worker = createGradeWorker({ outbox: stores.outbox, lanes: stores.lanes, send, pacing, concurrency: grades.concurrency, leaseMs: grades.leaseSeconds * 1000, pollMs: grades.pollMs, idlePollMaxMs: grades.idlePollMaxMs, log })
  return { ags, worker, stores }
}

/**
 * The mail outbox, and when email is on, what sends it: the SMTP sender and the worker that sends the queue
 * (started with the other workers, workers.ts).
 */
export function buildMailSending ({ config, log, db }: Pick<Infrastructure, 'config' | 'log' | 'db'>): { queue: MailQueue, worker: MailWorker | null } {
  const queue = createMailQueueRepository(db.models)
  const email = config.email
  if (!email.enabled || email.smtpUrl === undefined) return { queue, worker: null }
  const mail = config.mail
  const sender = createSmtpSender({ smtpUrl: email.smtpUrl, from: email.from, maxConnections: mail.concurrency })
  const worker = createMailWorker({
    queue, lanes: createLeases(db.models), sender, concurrency: mail.concurrency, leaseMs: mail.leaseSeconds * 1000, pollMs: mail.pollMs,
    idlePollMaxMs: mail.idlePollMaxMs, retryBaseMs: mail.retryBaseMs, retryMaxMs: mail.retryMaxSeconds * 1000, maxAttempts: mail.maxAttempts, log
  })
  return { queue, worker: { ...worker, stop: async () => { await worker.stop(); await sender.close() } } }
}

/** Every repository and service of the app, built once over the infrastructure, with the event subscriptions wired. */
export function buildServices (infra: Infrastructure) {
  const { config, log, db, ltijs } = infra
  const models = db.models
  const events = createEventBus((err, event) => log.error({ err, event: event.type }, 'event subscriber failed'))
  const background = new Set<Promise<unknown>>()
  const inBackground = (what: string, work: Promise<unknown>): void => {
    const tracked = work.catch((err: unknown) => log.error({ err }, `${what} failed`)).finally(() => background.delete(tracked))
    background.add(tracked)
  }

  const admin = buildPlatformAdmin(infra)
  const tenancy = createTenancyRepository(models)
  const sessions = createSessionService(models, { secret: config.sessionSecret, ttlSeconds: config.sessionTtlSeconds })
  const takesPart = createTakingPart(models)
  const sessionStanding = createSessionStanding({ takesPart, ttlSeconds: config.sessionMembershipCheckSeconds })
  const roster = createRosterRepository(models)
  const pairings = createPairingRepository(models)
  const mentors = createMentorRepository(models)
  const audit = createAuditRepository(models)

  const pairingStore = createPairingWorkflowRepository(models)
  const pairingMaintenance = createPairingMaintenance(pairingStore, events)
  const pairingHistory = createPairingHistoryRepository(models)
  const publishedPairing = createPublishedPairing(pairingStore, events)
  const rematch = createRematchRequests(createRematchRequestRepository(models), pairingStore, publishedPairing, events, pairings.isMentorOf)
  const rosterSync = createRosterSync({
    tenancy,
    roster,
    syncs: createRosterSyncRepository(models),
    nrps: createNrpsClient({ tokens: ltijs }),
    events,
    maxAgeMinutes: config.rosterSyncMaxAgeMinutes,
    log
  })

  const access = createAccess(pairings)
  const records = createStudentRecordRepositories(models)
  const tripRepo = createFieldTripRepository(models)
  const attendanceRepo = createAttendanceRepository(models)
  const rsvps = createRsvpRepository(models)
  const people = createCoursePeople({ roster, pairings, mentors })
  const activeStudents = people.activeStudentIds
  const namesOf = async (courseId: Id, role?: 'student'): Promise<Map<Id, string>> =>
    new Map((await people.members(courseId)).filter((m) => role === undefined || m.role === role).map((m) => [m.userId, m.name || m.email || 'Unnamed']))
  const recordDeps = { access, audit, events }
  const trips = createFieldTripService({ trips: tripRepo, rsvps, access, audit, events, courseStudents: activeStudents })
  const progressSource = createProgressLoader({ records, attendance: attendanceRepo, trips: tripRepo, people })
  const leases = createLeases(models)
  const progressReadModel = createProgressReadModel({
    store: createProgressRepository(models, { totalsOf, sumTotals }), source: progressSource, records, trips: tripRepo, attendance: attendanceRepo, people,
    exclusive: async (courseId, work) => await leases.holding(`progress:${courseId}`, work)
  })
  const mentorInvitations = createMentorInvitationRepository(models)
  const mail = buildMailSending(infra)
  const emailRenderer = createEmailRenderer(VIEWS_DIR)
  const enqueueTransactional = async (kind: 'invitation' | 'sign-in', courseId: Id, to: string, subject: string, text: string, html: string): Promise<void> => {
    await mail.queue.enqueue([{ kind, courseId, userId: null, message: { messageId: `${kind}-${randomUUID()}`, to, subject, text, html } }])
    mail.worker?.kick()
  }
  const invitationMailer = mail.worker === null
    ? undefined
    : {
        send: async ({ courseId, courseTitle, name, email, url, expiresAt }: { courseId: Id, courseTitle: string, name: string, email: string, url: string, expiresAt: Date }) => {
          const subject = `You are invited to mentor students of ${courseTitle}`
          const { text, html } = emailRenderer.render('mentor-invitation', { subject, course: courseTitle, name, link: url, linkLabel: 'Accept the invitation', until: dayLabel(expiresAt) })
          await enqueueTransactional('invitation', courseId, email, subject, text, html)
        }
      }
  const pools = createPools({
    // The course table answers "who has the Mentor role" from a few documents instead of every membership.
    pools: { ...createPoolRepository(models), lmsMentorsOf: async (courseId: Id) => lmsMentorsIn(await progressReadModel.staff(courseId)) },
    mentors,
    invitations: mentorInvitations,
    photos: createMentorPhotoRepository(models),
    tenancy,
    sessions,
    events,
    publicUrl: config.publicUrl,
    ttlDays: config.mentorInvitationTtlDays,
    ...(invitationMailer ? { mailer: invitationMailer } : {})
  })
  /** Students and their mentors from the roster and pairing; their progress from the read model. */
  const progress = {
    students: progressSource.students, input: progressReadModel.input, table: progressReadModel.table, totals: progressReadModel.totals,
    poolMentors: async (poolId: Id | null) => poolId === null ? [] : await people.poolMentors(poolId)
  }
  const activityService = createActivityService(records.activities, recordDeps)
  const bookingRepo = createBookingRepository(models)
  const activities = {
    access,
    audit,
    activities: activityService,
    bookings: createBookingService({
      slots: createSlotRepository(models), bookings: bookingRepo, activities: activityService, audit, events, mentorUserOf: pairings.mentorUserOf,
      exclusive: async (key, work) => await leases.holding(key, work)
    }),
    /** A booked session as the text of an .ics file, named as its people read it. */
    sessionCalendar: (booking: Booking, names: { student: string, mentor: string }): string => calendarText([sessionEntry(booking, names)]),
    goals: createGoalService(records.goals, recordDeps),
    contacts: createContactService(records.contacts, recordDeps),
    reflections: createReflectionService(records.reflections, records.activities, recordDeps),
    trips,
    attendance: createAttendanceService({ trips, tripRepo, rsvps, attendance: attendanceRepo, settings: createFieldTripSettingsRepository(models), events }),
    rsvps,
    attendanceRecords: attendanceRepo,
    progress,
    term: createTermService({ terms: createTermRepository(models), audit }),
    activeStudents,
    /** Names of everyone in a course by user id, for pages. */
    names: async (courseId: Id) => await namesOf(courseId),
    /** Names of the people of a course's 1:1 sessions by user id: its members and its pool's mentors (external ones are no members). */
    sessionNames: async (courseId: Id): Promise<Map<Id, string>> => {
      const [members, poolId] = await Promise.all([namesOf(courseId), tenancy.findCourse(courseId).then((c) => c?.poolId)])
      const pool = poolId ? await mentors.list(String(poolId)) : []
      return new Map([...pool.flatMap((m) => m.userId ? [[m.userId, m.name] as const] : []), ...members])
    },
    /** Names of the course's students (dropped ones too, whose records stay readable), by user id. */
    studentNames: async (courseId: Id) => await namesOf(courseId, 'student')
  }

  const assessmentStore = createAssessmentRepository(models)
  const frameworks = createFrameworkService({ store: createFrameworkRepository(models), courses: createInstructorCourses(models), events })
  const growth = {
    frameworks,
    assessments: createAssessmentService({
      store: assessmentStore, frameworks, access, events,
      isStudentOf: async (courseId: Id, userId: Id) => (await progressReadModel.table(courseId)).get(userId)?.role === 'student'
    }),
    /** The submitted assessments of some students, in one read (the home pages' prompt and completion share it). */
    assessmentsOf: assessmentStore.ofStudents,
    table: progressReadModel.table,
    menteesOf: pairings.menteeUserIdsOf,
    feedback: createFeedbackService({ store: createFeedbackRepository(models), activities: records.activities, access, events }),
    checkIns: createCheckInService({ store: createCheckInRepository(models), access, events }),
    /** Names of a pool's mentors by pool mentor id (the course table names a student's mentor by that id). */
    mentorNames: async (poolId: Id | null): Promise<Map<Id, string>> => new Map((await progress.poolMentors(poolId)).map((m) => [m.id, m.name]))
  }

  const calendarFeeds = createCalendarFeedRepository(models)
  const openLink = openLinkOf(config.publicUrl)
  const calendars = createCalendars({
    sources: [
      tripSource({ trips, rsvps, open: openLink }),
      milestoneSource(openLink),
      sessionSource({ bookings: activities.bookings, names: activities.sessionNames, open: openLink })
    ],
    trips,
    links: calendarFeeds.links,
    takesPart,
    course: async (courseId) => {
      const course = await tenancy.findCourse(courseId)
      return course === null ? null : { title: course.title ?? '', term: termOf(course), changedAt: course.updatedAt }
    },
    open: openLink,
    feedUrl: (token) => `${config.publicUrl}${CALENDAR_FEED_PATH}?token=${token}`
  })

  const { ags, worker: gradeWorker, stores: { syncs, learners, rules, findCourse, outbox, lanes } } = buildGradeSending(infra)
  /** Each student's number of submitted self-assessments: completion counts them beside the activities. */
  const selfAssessments = async (courseId: Id): Promise<ReadonlyMap<Id, number>> => {
    const counts = new Map<Id, number>()
    for (const a of await assessmentStore.ofCourse(courseId)) if (a.side === 'self') counts.set(a.studentUserId, (counts.get(a.studentUserId) ?? 0) + 1)
    return counts
  }
  const completion = createCompletionService({
    rules,
    learners,
    progress: withSelfAssessments(activitiesProgressSource(progress.input, progress.table), selfAssessments),
    events
  })
  const gradePublisher = createGradePublisher({
    completion, findCourse, syncs, outbox, log, resolveLineItem: createLineItemResolver({ ags, syncs }), kick: gradeWorker.kick, events
  })

  const notices = buildNotices({
    config, models, log, renderer: emailRenderer,
    announce: async (event) => { await events.publish(event) },
    mail: mail.worker === null ? null : { queue: mail.queue, kick: () => { mail.worker?.kick() } },
    sources: {
      courseTitle: async (courseId) => (await tenancy.findCourse(courseId))?.title ?? null,
      members: people.members,
      member: people.member,
      activePairs: people.activePairs,
      studentLines: async (courseId) => new Map([...await progressReadModel.table(courseId)].flatMap(([userId, row]) =>
        row.role === 'student' && row.active ? [[userId, { name: row.name || row.email, email: row.email, lastActivity: row.line?.lastActivity ?? null }] as const] : [])),
      poolMentors: async (courseId) => {
        const poolId = (await tenancy.findCourse(courseId))?.poolId
        return poolId ? await mentors.list(String(poolId)) : []
      },
      intakeGoals: async (courseId) => new Map((await pairingStore.loadInputs(courseId)).students.map((st) => [st.id, st.goals])),
      records,
      trips: tripRepo,
      rsvps,
      bookings: bookingRepo,
      milestones: async (courseId) => {
        const course = await tenancy.findCourse(courseId)
        return course ? termOf(course)?.milestones ?? [] : []
      },
      week: async (courseId, day) => {
        const from = addDays(day, -7)
        const [table, course, mailFailures] = await Promise.all([progressReadModel.table(courseId), tenancy.findCourse(courseId), mail.queue.failures(courseId)])
        const students = [...table.values()].filter((row) => row.role === 'student' && row.active && !row.testUser)
        const lineItemUrl = course?.lineItemUrl ?? (await syncs.find(courseId))?.lineItemUrl ?? null
        const scores = lineItemUrl === null ? [] : await outbox.queuedOf(courseId, lineItemUrl)
        const within = (days: readonly string[]) => days.some((d) => d >= from && d < day)
        return {
          students: students.length,
          active: students.filter((row) => row.line !== null && (within(row.line.activityDays) || within(row.line.tripDays))).length,
          waiting: students.reduce((sum, row) => sum + (row.line?.pending ?? 0), 0),
          gradeProblems: scores.filter((q) => q.status === 'failed').length,
          mailProblems: mailFailures.length
        }
      },
      assessments: async (courseId) => {
        const course = await tenancy.findCourse(courseId)
        const term = course ? termOf(course) : null
        const submitted = await assessmentStore.ofCourse(courseId)
        return { points: term === null ? [] : assessmentPoints(term), submitted }
      },
      mentorIdsOf: async (poolId, userId) => (await pairings.mentorIdsInPool(toObjectId(poolId), toObjectId(userId))).map(String)
    }
  })
  const emailSignIn = createEmailSignIn({
    ...createSignInRepository(models),
    send: async (courseId, to, subject, text, html) => { await enqueueTransactional('sign-in', courseId, to, subject, text, html) },
    renderer: emailRenderer,
    userOf: async (target) => {
      const userId = await mentorInvitations.upsertExternalUser(target.course, target.mentorId, { name: target.name, email: target.email })
      await models.mentors.updateOne({ _id: target.mentorId, userId: { $exists: false } }, { $set: { userId } })
      return userId
    },
    session: async (userId, courseId, days) => await sessions.create(userId, courseId, 'mentor', undefined, undefined, days * 24 * 3600),
    publicUrl: config.publicUrl,
    linkMinutes: 30,
    sessionDays: config.externalMentorSessionDays
  })
  notices.notifier.subscribe(events)

  // The read model first: a recompute the next subscriber schedules reads progress through it.
  progressReadModel.subscribe(events)
  subscribeGradeRecompute(events, gradePublisher, progressReadModel.applied)
  subscribePairingHistory(events, pairingHistory)
  events.subscribe('MentorDeactivated', async ({ poolId, mentorId }) => {
    for (const courseId of await pairingStore.coursesUsingPool(poolId)) await pairingMaintenance.repairMentor(courseId, mentorId)
  })
  events.subscribe('StudentsDropped', async ({ courseId, studentUserIds }) => {
    await pairingMaintenance.releaseStudents(courseId, studentUserIds, 'dropped from the course')
  })
  events.subscribe('RosterSynced', async ({ courseId }) => { await pairingMaintenance.placeUnpaired(courseId) })
  // Sessions of people the sync dropped or gave another role end at their next request to this process.
  events.subscribe('RosterSynced', ({ courseId }) => { sessionStanding.forgetCourse(courseId) })
  events.subscribe('MemberJoined', ({ courseId, role }) => { if (role === 'student') inBackground('late pairing', pairingMaintenance.placeUnpaired(courseId)) })

  return {
    config,
    log,
    db,
    events,
    ...admin,
    tenancy,
    sessions,
    sessionStanding,
    logins: createLoginRepository(models),
    loginStates: createLoginStates(config.sessionSecret),
    deepLinkRequests: createDeepLinkRequestRepository(models),
    serviceTokens: { accessToken: ltijs.accessToken, forgetAccessToken: ltijs.forgetAccessToken },
    ltijs,
    verifyIdToken: createIdTokenVerifier({
      keys: createPlatformKeys({ cacheSeconds: config.jwksCacheSeconds, refetchCooldownSeconds: config.jwksRefetchCooldownSeconds }),
      clockLeewaySeconds: config.clockLeewaySeconds,
      maxAgeSeconds: config.loginTtlSeconds
    }),
    roster,
    rosterSync,
    pairings,
    pairingStore,
    pairing: createPairingService(pairingStore, events),
    pairingMaintenance,
    publishedPairing,
    pairingHistory,
    rematch,
    pools,
    activities,
    growth,
    calendars,
    calendarText,
    progressReadModel,
    grading: { completion, selfAssessments, publisher: gradePublisher, outbox, lanes, syncs, learners, worker: gradeWorker },
    mail,
    notices,
    emailSignIn,
    inBackground,
    /**
     * Resolves once no work started by a request is still running in the background (roster syncs, late pairing,
     * scheduled recomputes), including work that work started: how a test knows that something did not happen.
     */
    settled: async (): Promise<void> => {
      for (;;) {
        const busy = background.size > 0
        await Promise.allSettled([...background])
        const syncing = await rosterSync.settled()
        const recomputing = await gradePublisher.settled()
        await notices.notifier.settled()
        if (!busy && !syncing && !recomputing) return
      }
    },
    /** Waits for background work started by requests (roster syncs, recomputes), then closes the connections. */
    close: async (): Promise<void> => {
      await rosterSync.close()
      await gradePublisher.close()
      await infra.close()
    }
  }
}

export type Services = ReturnType<typeof buildServices>
export type ActivityServices = Services['activities']
export type GrowthServices = Services['growth']
export type Grading = Services['grading']
