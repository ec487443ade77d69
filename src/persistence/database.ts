import mongoose, { type Connection } from 'mongoose'
import { activityModel } from './models/activity.model'
import { auditEntryModel } from './models/audit-entry.model'
import { bookingSlotModel, sessionBookingModel } from './models/booking.model'
import { calendarFeedModel } from './models/calendar-feed.model'
import { checkInModel } from './models/check-in.model'
import { assessmentModel, frameworkRevisionModel } from './models/competency.model'
import { relationshipCheckInModel, sessionFeedbackModel } from './models/session-feedback.model'
import { completionRulesModel } from './models/completion-rules.model'
import { contactModel } from './models/contact.model'
import { courseModel } from './models/course.model'
import { deepLinkRequestModel } from './models/deep-link-request.model'
import { attendanceModel } from './models/field-trip-attendance.model'
import { rsvpModel } from './models/field-trip-rsvp.model'
import { fieldTripModel, fieldTripSettingModel } from './models/field-trip.model'
import { goalModel } from './models/goal.model'
import { gradeMarkModel } from './models/grade-mark.model'
import { gradeWorkerModel, platformPaceModel } from './models/platform-pace.model'
import { gradeOutboxModel } from './models/grade-outbox.model'
import { gradeResultModel } from './models/grade-result.model'
import { gradeSyncModel } from './models/grade-sync.model'
import { membershipModel } from './models/membership.model'
import { mentorInvitationModel } from './models/mentor-invitation.model'
import { mentorModel, mentorPhotoModel } from './models/mentor.model'
import { intakeModel } from './models/intake.model'
import { pairingPlanModel } from './models/pairing-plan.model'
import { pairingRunModel } from './models/pairing-run.model'
import { pairingModel } from './models/pairing.model'
import { pairingChangeModel } from './models/pairing-change.model'
import { rematchRequestModel } from './models/rematch-request.model'
import { platformModel } from './models/platform.model'
import { poolModel } from './models/pool.model'
import { courseNoticeSettingModel, digestItemModel, inboxCountModel, inboxItemModel, mailBegunModel, mailConfirmedModel, mailFailureModel, mailLogModel, mailPreferenceModel, mailQueueModel, noticeJobModel, signInLinkModel } from './models/mail.model'
import { courseProgressModel, courseRowsModel, mentorMenteesModel, studentProgressModel } from './models/progress.model'
import { reflectionModel } from './models/reflection.model'
import { registrationLinkModel } from './models/registration-link.model'
import { rosterSyncModel } from './models/roster-sync.model'
import { sessionModel } from './models/session.model'
import { singleUseClaimModel } from './models/single-use-claim.model'
import { leaseModel } from './models/lease.model'
import { userModel } from './models/user.model'
import { ensureExpiryIndexes, ensureTtlIndexes } from './sweeper'

const buildModels = (conn: Connection) => ({
  platforms: platformModel(conn),
  registrationLinks: registrationLinkModel(conn),
  deepLinkRequests: deepLinkRequestModel(conn),
  courses: courseModel(conn),
  users: userModel(conn),
  memberships: membershipModel(conn),
  sessions: sessionModel(conn),
  rosterSyncs: rosterSyncModel(conn),
  pools: poolModel(conn),
  mentors: mentorModel(conn),
  mentorPhotos: mentorPhotoModel(conn),
  mentorInvitations: mentorInvitationModel(conn),
  singleUseClaims: singleUseClaimModel(conn),
  leases: leaseModel(conn),
  pairings: pairingModel(conn),
  intakes: intakeModel(conn),
  pairingPlans: pairingPlanModel(conn),
  pairingRuns: pairingRunModel(conn),
  pairingChanges: pairingChangeModel(conn),
  rematchRequests: rematchRequestModel(conn),
  activities: activityModel(conn),
  goals: goalModel(conn),
  contacts: contactModel(conn),
  reflections: reflectionModel(conn),
  fieldTrips: fieldTripModel(conn),
  fieldTripSettings: fieldTripSettingModel(conn),
  rsvps: rsvpModel(conn),
  attendance: attendanceModel(conn),
  checkIns: checkInModel(conn),
  bookingSlots: bookingSlotModel(conn),
  sessionBookings: sessionBookingModel(conn),
  auditEntries: auditEntryModel(conn),
  completionRules: completionRulesModel(conn),
  gradeOutbox: gradeOutboxModel(conn),
  gradeResults: gradeResultModel(conn),
  gradeMarks: gradeMarkModel(conn),
  platformPaces: platformPaceModel(conn),
  gradeWorkers: gradeWorkerModel(conn),
  gradeSyncs: gradeSyncModel(conn),
  studentProgress: studentProgressModel(conn),
  courseProgress: courseProgressModel(conn),
  courseRows: courseRowsModel(conn),
  mentorMentees: mentorMenteesModel(conn),
  mailQueue: mailQueueModel(conn),
  mailLog: mailLogModel(conn),
  mailBegun: mailBegunModel(conn),
  mailConfirmed: mailConfirmedModel(conn),
  mailFailures: mailFailureModel(conn),
  mailPreferences: mailPreferenceModel(conn),
  noticeJobs: noticeJobModel(conn),
  courseNoticeSettings: courseNoticeSettingModel(conn),
  inboxItems: inboxItemModel(conn),
  inboxCounts: inboxCountModel(conn),
  digestItems: digestItemModel(conn),
  signInLinks: signInLinkModel(conn),
  calendarFeeds: calendarFeedModel(conn),
  frameworkRevisions: frameworkRevisionModel(conn),
  assessments: assessmentModel(conn),
  sessionFeedback: sessionFeedbackModel(conn),
  relationshipCheckIns: relationshipCheckInModel(conn)
})

export type Models = ReturnType<typeof buildModels>

/** MongoDB in production; FerretDB (SQLite) as the embedded database of development and tests. */
export type ServerKind = 'mongodb' | 'ferretdb'

export interface Database {
  connection: Connection
  models: Models
  kind: ServerKind
  /** Resolves when the server answers a ping. */
  ping: () => Promise<void>
  close: () => Promise<void>
}

async function serverKind (connection: Connection): Promise<ServerKind> {
  const info = await connection.db?.admin().command({ buildInfo: 1 })
  return info && 'ferretdbVersion' in info ? 'ferretdb' : 'mongodb'
}

/**
 * Collections earlier versions kept: OIDC logins are signed states since (lti/login-state.ts), not documents; grade
 * lane claims are `leases` terms (repositories/grade-lane.repository.ts).
 */
const RETIRED_COLLECTIONS = ['oidc_logins', 'grade_lanes'] as const

async function dropRetiredCollections (connection: Connection): Promise<void> {
  const existing = new Set((await connection.db?.listCollections({}, { nameOnly: true }).toArray() ?? []).map((c) => c.name))
  for (const name of RETIRED_COLLECTIONS) if (existing.has(name)) await connection.db?.dropCollection(name).catch(() => undefined)
}

/** How long a request waits for an unreachable database before it is answered 503. */
const SELECTION_MS = 500
/** How long start-up waits for the database to answer, trying again every half second. */
const STARTUP_WAIT_MS = 30_000

/**
 * Connects with a short server selection, so that while the database is gone every operation fails within a second
 * (and its request is answered 503) instead of waiting; mongoose's buffering is off for the same reason. Start-up,
 * when the database may still be starting, tries again until `waitMs` have passed. The driver reconnects by itself.
 */
async function openConnection (uri: string, waitMs: number): Promise<Connection> {
  const deadline = Date.now() + waitMs
  for (;;) {
    const connection = mongoose.createConnection(uri, { serverSelectionTimeoutMS: SELECTION_MS, bufferCommands: false, autoIndex: false, monitorCommands: true })
    try {
      return await connection.asPromise()
    } catch (err) {
      await connection.close().catch(() => undefined)
      if (Date.now() >= deadline) throw err
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
  }
}

/**
 * Opens Mentorlink's own mongoose connection (never the default one, which ltijs claims) and builds its indexes.
 * Command monitoring is on so benchmarks and tests can count the round trips a request makes.
 */
export async function connectDatabase (uri: string, { startupWaitMs = STARTUP_WAIT_MS } = {}): Promise<Database> {
  const connection = await openConnection(uri, startupWaitMs)
  const models = buildModels(connection)
  const kind = await serverKind(connection)
  await dropRetiredCollections(connection)
  await Promise.all(Object.values(models).map(async (model) => await model.createIndexes()))
  await (kind === 'mongodb' ? ensureTtlIndexes(connection) : ensureExpiryIndexes(connection))
  return {
    connection,
    models,
    kind,
    ping: async () => {
      if (!connection.db) throw new Error('not connected')
      await connection.db.admin().ping()
    },
    close: async () => { await connection.close() }
  }
}
