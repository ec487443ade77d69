import { randomBytes } from 'node:crypto'
import type { DomainEvent } from '../events/domain-events'
import type { EventBus } from '../events/event-bus'
import type { Logger } from '../logger'
import { EMAIL_KINDS, type EmailKind } from './email-kinds'
import { pairChangesOf, pairingEmails, type NoticeEmail } from './pairing-notices'
import { returnedEmails } from './returned-notices'
import { tripEmails } from './trip-notices'
import type { EmailRenderer, MailPreferences, MailQueue, NoticeJob, NoticeJobs, PairingDirectory, QueuedEmail } from './ports'

export interface NotifierLinks {
  /** Where an email's one link goes: the person's page of the course, through sign-in when needed. */
  open: (courseId: string, role: 'student' | 'mentor') => string
  /** The signed one-click link that turns this kind of email off for this address. */
  unsubscribe: (address: string, kind: EmailKind) => string
}

export interface NotifierDeps {
  jobs: NoticeJobs
  queue: Pick<MailQueue, 'enqueue'>
  preferences: Pick<MailPreferences, 'turnedOff'>
  renderer: EmailRenderer
  directory: PairingDirectory
  links: NotifierLinks
  /** Tells the mail sender there is mail. */
  kick: () => void
  log: Pick<Logger, 'error'>
}

/** Jobs older than this were left by a process that stopped before it queued their emails. */
const LEFT_OVER_MS = 60_000
export const NOTICE_EVENTS = ['PairingPublished', 'StudentsPlaced', 'StudentPlaced', 'PairMoved', 'ActivityReturned', 'TripPublished', 'TripChanged', 'TripCancelled'] as const

type NoticeEvent = Extract<DomainEvent, { type: typeof NOTICE_EVENTS[number] }>

export const normalAddress = (address: string): string => address.trim().toLowerCase()

/**
 * Turns domain events into queued emails. The event's handler only records a job (one insert), so the change that
 * raised it is not held up; the emails are composed and queued right after, and the job is deleted once they are.
 * A job a crash left behind is taken up again later; its emails have the same ids then, so none goes out twice.
 */
export function createNotifier ({ jobs, queue, preferences, renderer, directory, links, kick, log }: NotifierDeps) {
  const running = new Set<Promise<void>>()

  const queued = (job: NoticeJob, courseId: string, kind: EmailKind, email: NoticeEmail): Omit<QueuedEmail, 'attempts' | 'lastError'> => {
    const unsubscribe = links.unsubscribe(email.to.address, kind)
    const { text, html } = renderer.render(email.template, {
      ...email.data, subject: email.subject, link: links.open(courseId, email.role), unsubscribe, kindLabel: EMAIL_KINDS[kind].label
    })
    return {
      kind, courseId, userId: null,
      message: {
        messageId: `n-${job.id}-${email.key}`,
        to: email.to.address,
        subject: email.subject, text, html,
        headers: { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
      }
    }
  }

  /** The emails an event sends, and their kind. */
  const emailsOf = async (event: NoticeEvent): Promise<{ kind: EmailKind, emails: NoticeEmail[] }> => {
    if (event.type === 'ActivityReturned') {
      const entry = await directory.returnedEntry(event.courseId, event.recordId, event.byUserId)
      return { kind: 'returned', emails: await returnedEmails(event.courseId, event.studentUserId, entry, directory) }
    }
    if (event.type === 'TripPublished' || event.type === 'TripChanged' || event.type === 'TripCancelled') {
      return { kind: 'trip', emails: await tripEmails(event, await directory.trip(event.courseId, event.tripId), directory) }
    }
    return { kind: 'pairing', emails: await pairingEmails(event.courseId, await pairChangesOf(event, directory), directory) }
  }

  const handle = async (job: NoticeJob): Promise<void> => {
    const event = job.event as NoticeEvent
    const { kind, emails } = await emailsOf(event)
    const off = await preferences.turnedOff(kind, emails.map((e) => normalAddress(e.to.address)))
    const wanted = emails.filter((e) => !off.has(normalAddress(e.to.address)))
    if (wanted.length > 0) {
      await queue.enqueue(wanted.map((e) => queued(job, event.courseId, kind, e)))
      kick()
    }
    await jobs.done(job.id)
  }
  const inBackground = (job: NoticeJob): void => {
    const work = handle(job).catch((err: unknown) => { log.error({ err, job: job.id }, 'notification job failed; it is taken up again later') })
      .finally(() => running.delete(work))
    running.add(work)
  }

  return {
    subscribe: (events: EventBus): void => {
      events.subscribe(NOTICE_EVENTS, async (event) => {
        const job = { id: randomBytes(9).toString('base64url'), event, at: new Date() }
        await jobs.record(job)
        inBackground(job)
      })
    },
    /** Takes up the jobs a stopped process left. */
    takeUpLeftOver: async (): Promise<number> => {
      const left = await jobs.leftOver(new Date(Date.now() - LEFT_OVER_MS))
      for (const job of left) inBackground(job)
      return left.length
    },
    /** Resolves once every job started here has queued its emails. */
    settled: async (): Promise<void> => { while (running.size > 0) await Promise.allSettled([...running]) }
  }
}

export type Notifier = ReturnType<typeof createNotifier>
