import { Schema, type Connection } from 'mongoose'

/** Every email belongs to one of these lanes, fixed by a hash of its id; a sender claims a lane at a time. */
export const MAIL_LANES = 4

/**
 * The mail outbox (domain/notifications/ports.ts MailQueue): batches of emails due at one time in one lane, only
 * inserted and deleted. The emails are one gzipped JSON value: FerretDB's cost grows with a document's fields and bytes.
 */
const mailQueueSchema = new Schema({
  _id: { type: String, required: true },
  lane: { type: Number, required: true },
  dueAt: { type: Date, required: true },
  /** Gzipped JSON of QueuedEmail[] */
  emailsGz: { type: Buffer, required: true }
}, { versionKey: false })

/**
 * One document per email committed to the server, under the email's id: the unique insert that lets exactly one
 * attempt deliver it. Kept until `expiresAt`, long after any attempt at the email could still be under way.
 */
const mailLogSchema = new Schema({
  _id: { type: String, required: true },
  kind: { type: String, required: true },
  courseId: { type: String, default: null },
  at: { type: Date, required: true },
  expiresAt: { type: Date, required: true }
}, { versionKey: false })

/** Committed emails the server answered 250 to (by id): a committed one without it was in flight when its sender stopped. */
const mailConfirmedSchema = new Schema({
  _id: { type: String, required: true },
  expiresAt: { type: Date, required: true }
}, { versionKey: false })

/** Batches an attempt began (by id): a later attempt at one first skips the emails committed already. */
const mailBegunSchema = new Schema({
  _id: { type: String, required: true },
  expiresAt: { type: Date, required: true }
}, { versionKey: false })

/** Emails that will not arrive, kept apart so the instructor's list reads a small collection. */
const mailFailureSchema = new Schema({
  _id: { type: String, required: true },
  kind: { type: String, required: true },
  courseId: { type: String, default: null },
  to: { type: String, required: true },
  subject: { type: String, required: true },
  state: { type: String, enum: ['failed', 'uncertain'], required: true },
  error: { type: String, required: true },
  at: { type: Date, required: true }
}, { versionKey: false })

export const mailQueueModel = (conn: Connection) => conn.model('MailQueue', mailQueueSchema, 'mail_queue')
export const mailLogModel = (conn: Connection) => conn.model('MailLog', mailLogSchema, 'mail_log')
export const mailBegunModel = (conn: Connection) => conn.model('MailBegun', mailBegunSchema, 'mail_begun')
export const mailConfirmedModel = (conn: Connection) => conn.model('MailConfirmed', mailConfirmedSchema, 'mail_confirmed')
export const mailFailureModel = (conn: Connection) => conn.model('MailFailure', mailFailureSchema, 'mail_failures')

/** How an address wants each kind of email (kind → immediately, digest or off), under the address in lower case. */
const mailPreferenceSchema = new Schema({
  _id: { type: String, required: true },
  modes: { type: Schema.Types.Mixed, default: {} }
}, { versionKey: false, minimize: false })

/** Kinds of notice a course does not send, under the course id. */
const courseNoticeSettingSchema = new Schema({
  _id: { type: String, required: true },
  off: { type: [String], default: [] },
  quietDays: { type: Number }
}, { versionKey: false })

/** Work for the notifier (domain/notifications/notifier.ts); the event or scheduled notice as JSON. */
const noticeJobSchema = new Schema({
  _id: { type: String, required: true },
  event: { type: String, required: true },
  at: { type: Date, required: true },
  dueAt: { type: Date, required: true }
}, { versionKey: false })

/**
 * In-app notifications: one document per item, under `<course>:<recipient>#<n>`, n counting from 1 per list, only
 * inserted (FerretDB finds a document by id fast only when it is there: updates and misses scan the collection).
 */
const inboxItemSchema = new Schema({
  _id: { type: String, required: true },
  itemId: { type: String, required: true },
  kind: { type: String, required: true },
  text: { type: String, required: true },
  page: { type: String, required: true },
  at: { type: Date, required: true }
}, { versionKey: false })

/**
 * How far each in-app list goes, per course in 64 buckets by a hash of the recipient, under `<course>:<bucket>`:
 * the last n delivered and the last n read, by recipient. Written only under the course's inbox lease.
 */
const inboxCountSchema = new Schema({
  _id: { type: String, required: true },
  last: { type: Schema.Types.Mixed, default: {} },
  read: { type: Schema.Types.Mixed, default: {} }
}, { versionKey: false, minimize: false })

/** Notices waiting for their address's daily summary (few at any time: a summary deletes its own). */
const digestItemSchema = new Schema({
  _id: { type: String, required: true },
  address: { type: String, required: true },
  name: { type: String, default: '' },
  period: { type: String, required: true },
  courseId: { type: String, required: true },
  course: { type: String, required: true },
  kind: { type: String, required: true },
  text: { type: String, required: true },
  link: { type: String, required: true }
}, { versionKey: false })

export const mailPreferenceModel = (conn: Connection) => conn.model('MailPreference', mailPreferenceSchema, 'mail_preferences')
export const courseNoticeSettingModel = (conn: Connection) => conn.model('CourseNoticeSetting', courseNoticeSettingSchema, 'course_notice_settings')
export const noticeJobModel = (conn: Connection) => conn.model('NoticeJob', noticeJobSchema, 'notice_jobs')
export const inboxItemModel = (conn: Connection) => conn.model('InboxItem', inboxItemSchema, 'inbox_items')
export const inboxCountModel = (conn: Connection) => conn.model('InboxCount', inboxCountSchema, 'inbox_counts')
export const digestItemModel = (conn: Connection) => conn.model('DigestItem', digestItemSchema, 'digest_items')

/** Email sign-in links of external mentors, under the SHA-256 of their token; used once (single_use_claims). */
const signInLinkSchema = new Schema({
  _id: { type: String, required: true },
  mentorId: { type: Schema.Types.ObjectId, required: true },
  poolId: { type: Schema.Types.ObjectId, required: true },
  courseId: { type: Schema.Types.ObjectId, required: true },
  expiresAt: { type: Date, required: true }
}, { versionKey: false })

export const signInLinkModel = (conn: Connection) => conn.model('SignInLink', signInLinkSchema, 'sign_in_links')
