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

/** Kinds of email people turned off, by address (people without an account have one too). */
export interface MailPreferences {
  /** Of these addresses, those that turned `kind` off. */
  turnedOff: (kind: string, addresses: readonly string[]) => Promise<Set<string>>
  turnOff: (address: string, kind: string) => Promise<void>
  turnOn: (address: string, kind: string) => Promise<void>
}

/** Work an event left for the notifier, kept until its emails are queued (so a crash in between loses none). */
export interface NoticeJob { id: string, event: unknown, at: Date }
export interface NoticeJobs {
  record: (job: NoticeJob) => Promise<void>
  /** Jobs recorded before `before`: left by a process that stopped before queuing their emails. */
  leftOver: (before: Date) => Promise<NoticeJob[]>
  done: (id: string) => Promise<void>
}

/** Who takes part in a pairing, as emails about it name them. */
export interface PairingDirectory {
  courseTitle: (courseId: string) => Promise<string>
  students: (courseId: string, ids: readonly string[]) => Promise<Map<string, { name: string, email: string }>>
  /** The students' goals from their intake, by id (only pairing emails show them). */
  goals: (courseId: string) => Promise<Map<string, string>>
  mentors: (courseId: string, ids: readonly string[]) => Promise<Map<string, { name: string, email: string, organisation: string }>>
  activePairs: (courseId: string) => Promise<Array<{ studentUserId: string, mentorId: string }>>
  /** A returned activity as its student reads about it; null when it is not (or no longer) returned. */
  returnedEntry: (courseId: string, recordId: string, byUserId: string) => Promise<{ what: string, date: string, comment: string, byName: string } | null>
  /** A field trip as its emails describe it (a cancelled one too); null when unknown. */
  trip: (courseId: string, tripId: string) => Promise<{ title: string, when: string, place: string, organiser: string } | null>
}
