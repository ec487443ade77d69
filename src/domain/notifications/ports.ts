import type { DeliveryMode } from './vocabulary'
import type { QuietPair } from './quiet-pairs'
import type { SessionFacts } from './session-notices'
import type { TripFacts } from './trip-notices'

/**
 * What notifications need to send an email: one message to one address, and the two ways a send can fail. The SMTP
 * adapter (notifications/smtp-sender.ts) implements it; the durable outbox will call it.
 */

/** An address with an optional display name: `Mentorlink <no-reply@mentorlink.example.edu>`. */
export interface MailAddress { name?: string, address: string }

export interface MailAttachment {
  filename: string
  content: string | Uint8Array
  /** e.g. `text/calendar; charset=utf-8; method=PUBLISH` for an .ics file. */
  contentType: string
}

export interface MailMessage {
  /** One address. */
  to: string
  subject: string
  text: string
  html: string
  /** Extra headers, e.g. `List-Unsubscribe` and `List-Unsubscribe-Post` (RFC 8058). */
  headers?: Record<string, string>
  attachments?: MailAttachment[]
  /**
   * This email's id, unique and the same on every attempt to send it (the queued email's id): the sender makes the
   * `Message-ID` header of it, so a receiver (and the tests, through Mailpit) can tell a repeat from another email.
   * Letters, digits and `.-_` only.
   */
  messageId: string
}

export interface MailSender {
  /**
   * Resolves once the server has accepted the message; rejects with a MailDeliveryError. With `commit`, the whole
   * message goes out except the end of its data, then `commit` runs, and only when it answers true does the end
   * follow: an SMTP server discards a message whose data never ended, so if the process dies before the commit is
   * written the email was not delivered and may go again, and once it is written nobody sends it again. When it
   * answers false (sent already) the message is abandoned and `send` rejects with AlreadySent.
   */
  send: (message: MailMessage, commit?: () => Promise<boolean>) => Promise<void>
  /** Closes pooled connections. */
  close: () => Promise<void>
}

/** A send that failed. `permanent`: sending this email again will fail again (SMTP 5xx); otherwise try again later. */
export abstract class MailDeliveryError extends Error {
  abstract readonly permanent: boolean
  constructor (message: string, readonly responseCode?: number) {
    super(message)
  }
}

/** The server refused this email for good (SMTP 5xx: unknown mailbox, message refused, …): do not send it again. */
export class PermanentMailError extends MailDeliveryError {
  readonly permanent = true
  constructor (message: string, responseCode?: number) {
    super(message, responseCode)
    this.name = 'PermanentMailError'
  }
}

/** The email may go through later (SMTP 4xx, no connection, a timeout, the server's credentials refused). */
export class TransientMailError extends MailDeliveryError {
  readonly permanent = false
  constructor (message: string, responseCode?: number) {
    super(message, responseCode)
    this.name = 'TransientMailError'
  }
}

/** `send` abandoned a message because its commit said it had gone already (another attempt committed it). */
export class AlreadySent extends Error {
  constructor (messageId: string) {
    super(`email ${messageId} was sent already`)
    this.name = 'AlreadySent'
  }
}

/** One email in the outbox: the message as it will go, and what it is about. Its id is the message's `messageId`. */
export interface QueuedEmail {
  /** What kind of email it is (email-kinds.ts), for preferences and the instructor's list of failures. */
  kind: string
  courseId: string | null
  /** The recipient's user id, when they have one (external mentors without an account have none). */
  userId: string | null
  message: MailMessage
  /** Attempts the server answered "not now" to (SMTP 4xx, no connection). */
  attempts: number
  lastError: string | null
}

/** Emails queued together, due at one time, in one lane (their ids pick it); only ever inserted and deleted. */
export interface MailBatch { id: string, lane: number, dueAt: Date, emails: QueuedEmail[] }

/** An email that will not arrive, as the instructor sees it. */
export interface MailFailure {
  emailId: string
  kind: string
  courseId: string | null
  to: string
  subject: string
  /** `failed`: the server refused it for good. `uncertain`: the connection ended after the email was committed, before the server answered. */
  state: 'failed' | 'uncertain'
  error: string
  at: Date
}

/**
 * The durable outbox. An email is committed (a unique insert under its id) just before the server is told to take
 * it, so two attempts never both deliver one; a batch is deleted only once every email in it was handled.
 */
export interface MailQueue {
  enqueue: (emails: ReadonlyArray<Omit<QueuedEmail, 'attempts' | 'lastError'>>, dueAt?: Date) => Promise<void>
  /** Lanes with a batch due by `now`. */
  dueLanes: (now: Date) => Promise<number[]>
  laneBatches: (lane: number, now: Date) => Promise<MailBatch[]>
  /** True for the first attempt at a batch; false when an earlier one began it and may have sent part of it. */
  begin: (batchId: string) => Promise<boolean>
  /** Which of these emails are committed already. */
  committed: (emailIds: readonly string[]) => Promise<Set<string>>
  /** True when this attempt may deliver the email (nobody committed it before). */
  commit: (email: QueuedEmail) => Promise<boolean>
  /** The server took a committed email (its 250 answer arrived). */
  confirm: (emailId: string) => Promise<void>
  /** Which of these committed emails the server was seen taking; the others were in flight when a sender stopped. */
  confirmed: (emailIds: readonly string[]) => Promise<Set<string>>
  /** The server refused a committed email for now (SMTP 4xx): it may go again. */
  withdraw: (emailId: string) => Promise<void>
  /** Records an email that will not arrive. */
  fail: (failure: MailFailure) => Promise<void>
  /** Queues the retries, each due at its time, then deletes the batches handled. */
  finish: (handledBatchIds: readonly string[], retries: ReadonlyArray<{ email: QueuedEmail, dueAt: Date }>) => Promise<void>
  failures: (courseId: string) => Promise<MailFailure[]>
}

/** An email's text and HTML parts, made from a template (views/emails) and what it says. */
export interface EmailRenderer {
  render: (template: string, data: Record<string, unknown>) => { text: string, html: string }
}

/** How people want each kind of email, by address in lower case (people without an account have one too). */
export interface MailPreferences {
  /** The choices of these addresses for `kind`; an address that never chose is absent (the kind's usual way applies). */
  modes: (kind: string, addresses: readonly string[]) => Promise<Map<string, DeliveryMode>>
  /** Every choice one address made, by kind. */
  of: (address: string) => Promise<Map<string, DeliveryMode>>
  /** `null` forgets the choice: the kind's usual way applies again. */
  choose: (address: string, kind: string, mode: DeliveryMode | null) => Promise<void>
}

/** What a course sends: the instructor may stop kinds of notice for everyone in it. */
export interface CourseNoticeSettings {
  kindsOff: (courseId: string) => Promise<Set<string>>
  setKindsOff: (courseId: string, kinds: readonly string[]) => Promise<void>
  /** Days without activity after which a pair counts as quiet (null: the usual, DEFAULT_QUIET_DAYS). */
  quietDays: (courseId: string) => Promise<number | null>
  setQuietDays: (courseId: string, days: number) => Promise<void>
}

/**
 * Work for the notifier, kept until its emails and in-app notices are delivered (so a crash in between loses none):
 * a domain event to tell people about, or a notice due later (a reminder, a digest). A job is taken up from its
 * `dueAt`; an event's job is handled at once by the process that recorded it, and is due for others a minute later.
 */
export interface NoticeJob { id: string, event: unknown, at: Date, dueAt: Date }
export interface NoticeJobs {
  record: (job: NoticeJob) => Promise<void>
  /** Records a job under its id unless one is recorded already (a reminder scheduled twice is one reminder). */
  schedule: (job: NoticeJob) => Promise<void>
  /** Jobs due by `now`. */
  due: (now: Date) => Promise<NoticeJob[]>
  /** True for the one taker of a due job for a few minutes (another may take it up after that, if it is still there). */
  claim: (id: string, now: Date) => Promise<boolean>
  /** True the first time a key is asked for, false ever after (a quiet pair is nudged once per quiet spell). */
  once: (key: string) => Promise<boolean>
  done: (id: string) => Promise<void>
}

/** One line in a person's in-app notifications list. Its id is the same on every attempt to deliver it. */
export interface InboxItem { id: string, kind: string, text: string, page: string, at: Date }

/** Everyone's in-app notifications list, per course (recipientOf says whose). */
export interface Inbox {
  deliver: (courseId: string, recipient: string, item: InboxItem) => Promise<void>
  /** Many items of one course at once (a publication tells thousands): a few commands, not a few per item. */
  deliverMany: (courseId: string, entries: ReadonlyArray<{ recipient: string, item: InboxItem }>) => Promise<void>
  /** The newest items first, each marked unread when it came after the person last read the list. */
  latest: (courseId: string, recipient: string, limit: number) => Promise<Array<InboxItem & { unread: boolean }>>
  /** How many items came after the person last read the list. */
  unread: (courseId: string, recipient: string) => Promise<number>
  markRead: (courseId: string, recipient: string) => Promise<void>
}

/** A notice waiting for its address's daily summary. */
export interface DigestItem { id: string, address: string, name: string, period: string, courseId: string, course: string, kind: string, text: string, link: string }
export interface DigestItems {
  add: (item: DigestItem) => Promise<void>
  of: (address: string, period: string) => Promise<DigestItem[]>
  remove: (ids: readonly string[]) => Promise<void>
}

/** A course's week for its instructors. */
export interface CourseWeek {
  students: number
  /** Students with an activity or attended trip in the 7 days. */
  active: number
  /** Entries waiting for a mentor's verification now. */
  waiting: number
  atRisk: number
  /** Scores the LMS gradebook refused for good, and emails that did not arrive. */
  gradeProblems: number
  mailProblems: number
}

/** One assessment point soon due, and who has not submitted. */
export interface AssessmentDue {
  point: string
  label: string
  due: string
  dueLabel: string
  students: Array<{ userId: string, name: string, email: string }>
  mentors: Array<{ mentorId: string, name: string, email: string, mentees: number }>
}

/** Who takes part in a pairing, as emails about it name them. */
export interface PairingDirectory {
  courseTitle: (courseId: string) => Promise<string>
  students: (courseId: string, ids: readonly string[]) => Promise<Map<string, { name: string, email: string }>>
  /** The students' goals from their intake, by id (only pairing emails show them). */
  goals: (courseId: string) => Promise<Map<string, string>>
  mentors: (courseId: string, ids: readonly string[]) => Promise<Map<string, { name: string, email: string, organisation: string, availability: string }>>
  activePairs: (courseId: string) => Promise<Array<{ studentUserId: string, mentorId: string }>>
  /** A returned activity as its student reads about it; null when it is not (or no longer) returned. */
  returnedEntry: (courseId: string, recordId: string, byUserId: string) => Promise<{ what: string, date: string, comment: string, byName: string } | null>
  /** A field trip as its emails describe it (a cancelled one too); null when unknown. */
  trip: (courseId: string, tripId: string) => Promise<TripFacts | null>
  /** The students a trip invites who did not answer that they are not coming. */
  tripGoing: (courseId: string, tripId: string) => Promise<string[]>
  /** A student's activity waiting for verification, as their mentor reads about it; null when it is not (or no longer) waiting. */
  pendingEntry: (courseId: string, recordId: string) => Promise<{ what: string, date: string, studentName: string } | null>
  /** The course's pairs with nothing recorded for its quiet days (as the instructor set them) by `now`. */
  quietPairs: (courseId: string, now: Date) => Promise<QuietPair[]>
  /** The course's milestones (from its term), with the date as people read it. */
  milestones: (courseId: string) => Promise<Array<{ title: string, date: string, label: string }>>
  /**
   * Assessment points due within the next `days` days (after `today`), each with who has not submitted yet: active
   * students their self-assessment, pool mentors their rating of some mentee (with how many).
   */
  assessmentsDue: (courseId: string, today: string, days: number) => Promise<AssessmentDue[]>
  /** The course's active members in a role. */
  people: (courseId: string, role: 'student' | 'instructor') => Promise<Array<{ userId: string, name: string, email: string }>>
  /** The week before `day` in the course, as the instructors' summary tells it. */
  courseWeek: (courseId: string, day: string) => Promise<CourseWeek>
  /** A booked session (a moved or cancelled one too) as its notices tell it; null when unknown. */
  session: (courseId: string, bookingId: string) => Promise<SessionFacts | null>
  /** The mentor a student is paired with now, if any. */
  mentorOf: (courseId: string, studentUserId: string) => Promise<string | null>
}
