import { randomBytes } from 'node:crypto'
import type { DomainEvent } from '../events/domain-events'
import type { EventBus } from '../events/event-bus'
import type { Logger } from '../logger'
import { EMAIL_KINDS, kindLabel, type EmailKind } from './email-kinds'
import type { DeliveryMode } from './vocabulary'
import type { CalendarEvent } from '../calendar/calendar-event'
import type { Notice } from './notice'
import type {
  CourseNoticeSettings, DigestItems, EmailRenderer, Inbox, MailAttachment, MailPreferences, MailQueue, NoticeJob, NoticeJobs, PairingDirectory, QueuedEmail
} from './ports'
import { addressKey, digestPeriod, scheduledJobId, type ScheduledNotice } from './scheduled-notices'
import { waitsForMentor } from './verification-notices'
import { createWorkNotices, NOTICE_EVENTS, type NoticeEvent, type NoticeWork } from './work-notices'

export interface NotifierLinks {
  /** Where an email's one link goes: the page of the course it is about, through sign-in when needed. */
  open: (courseId: string, role: Notice['role'], page: string) => string
  /** The signed one-click link that turns this kind of email off for this address. */
  unsubscribe: (address: string, kind: EmailKind) => string
}

/** What sending email takes; absent when email is off, and then notices reach the in-app lists only. */
export interface NotifierMail {
  queue: Pick<MailQueue, 'enqueue'>
  preferences: Pick<MailPreferences, 'modes'>
  courses: Pick<CourseNoticeSettings, 'kindsOff'>
  digests: DigestItems
  renderer: EmailRenderer
  /** An .ics file of a calendar entry. */
  calendarFile: (entry: CalendarEvent) => MailAttachment
  links: NotifierLinks
  /** Tells the mail sender there is mail. */
  kick: () => void
}

export interface NotifierDeps {
  jobs: NoticeJobs
  inbox: Pick<Inbox, 'deliverMany'>
  mail: NotifierMail | null
  directory: PairingDirectory
  /** The hour (UTC) of the morning's work: daily summaries, the look for quiet pairs. */
  digestHourUtc: number
  log: Pick<Logger, 'error'>
  now?: () => Date
  /** Publishes the domain events that jobs due later stand for (a trip's start). */
  announce?: (event: DomainEvent) => Promise<void>
}

/** Another process takes up an event's job this long after it was recorded (the recording process is on it). */
const GRACE_MS = 60_000

type Work = NoticeWork | Extract<ScheduledNotice, { type: 'DigestDue' }>

export const normalAddress = (address: string): string => address.trim().toLowerCase()

/** Events that tell someone something (a record change only when it waits for a mentor). */
const tellsSomeone = (event: NoticeEvent): boolean => event.type !== 'RecordCreated' && event.type !== 'RecordChanged' ? true : waitsForMentor(event)

/**
 * Turns domain events and scheduled notices into in-app notices and emails. An event's handler only records a job (one
 * insert), so the change that raised it is not held up; the notices are delivered right after, and the job is
 * deleted once they are. A job a crash left behind, or one due later, is taken up by whichever process looks first;
 * its notices have the same ids then, so none is shown or sent twice.
 */
export function createNotifier ({ jobs, inbox, mail, directory, digestHourUtc, log, now = () => new Date(), announce }: NotifierDeps) {
  const running = new Map<string, Promise<void>>()

  const queued = (m: NotifierMail, id: string, courseId: string | null, kind: EmailKind, n: Pick<Notice, 'to' | 'subject' | 'template' | 'role' | 'data' | 'calendar'>, link: string): Omit<QueuedEmail, 'attempts' | 'lastError'> => {
    const unsubscribe = m.links.unsubscribe(n.to.address, kind)
    const { text, html } = m.renderer.render(n.template, { ...n.data, subject: n.subject, link, unsubscribe, kindLabel: kindLabel(kind, n.role) })
    return {
      kind, courseId, userId: null,
      message: {
        messageId: id, to: n.to.address, subject: n.subject, text, html,
        headers: { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
        ...(n.calendar ? { attachments: [m.calendarFile(n.calendar)] } : {})
      }
    }
  }

  const noticesOf = createWorkNotices({ directory, once: jobs.once, digestHourUtc, now, ...(announce ? { announce } : {}) })

  const schedule = async (notice: ScheduledNotice, dueAt: Date): Promise<void> => {
    await jobs.schedule({ id: scheduledJobId(notice), event: notice, at: now(), dueAt })
  }

  /** Each notice with an address goes as its person wants that kind: now, into tomorrow's summary, or not at all. */
  const email = async (m: NotifierMail, job: NoticeJob, courseId: string, kind: EmailKind, notices: readonly Notice[]): Promise<void> => {
    if ((await m.courses.kindsOff(courseId)).has(kind)) return
    const addressed = notices.filter((n) => n.to.address !== '')
    const chosen = await m.preferences.modes(kind, addressed.map((n) => normalAddress(n.to.address)))
    const modeOf = (n: Notice): DeliveryMode => chosen.get(normalAddress(n.to.address)) ?? EMAIL_KINDS[kind].usual
    const now = addressed.filter((n) => modeOf(n) === 'immediately')
    const { period, dueAt } = digestPeriod(job.at, digestHourUtc)
    for (const n of addressed.filter((n) => modeOf(n) === 'digest')) {
      const address = normalAddress(n.to.address)
      await m.digests.add({
        id: `${job.id}-${n.key}`, address, name: n.to.name, period, courseId, course: String(n.data.course ?? ''), kind, text: n.line ?? n.subject, link: m.links.open(courseId, n.role, n.page)
      })
      await schedule({ type: 'DigestDue', address, period }, dueAt)
    }
    if (now.length > 0) {
      await m.queue.enqueue(now.map((n) => queued(m, `n-${job.id}-${n.key}`, courseId, kind, n, m.links.open(courseId, n.role, n.page))))
      m.kick()
    }
  }

  /** One email with the day's notices of one address, unless they turned summaries off; then the notices are forgotten. */
  const sendDigest = async (m: NotifierMail, { address, period }: { address: string, period: string }): Promise<void> => {
    const items = await m.digests.of(address, period)
    if (items.length === 0) return
    if ((await m.preferences.modes('digest', [address])).get(address) !== 'off') {
      const courses = [...new Set(items.map((i) => i.course))].map((course) => ({ course, items: items.filter((i) => i.course === course) }))
      const first = items[0] as (typeof items)[number]
      const subject = `Your Mentorlink summary: ${items.length === 1 ? '1 update' : `${items.length} updates`}`
      const id = `d-${addressKey(address)}-${period}`
      await m.queue.enqueue([queued(m, id, first.courseId, 'digest', {
        to: { address, name: first.name }, subject, template: 'digest', role: 'student',
        data: { name: first.name, course: courses.length === 1 ? first.course : 'your courses', courses, day: period }
      }, first.link)])
      m.kick()
    }
    await m.digests.remove(items.map((i) => i.id))
  }

  const handle = async (job: NoticeJob): Promise<void> => {
    const work = job.event as Work
    if (work.type === 'DigestDue') {
      if (mail !== null) await sendDigest(mail, work)
    } else {
      const { groups, later } = await noticesOf(work, job)
      for (const { notice, dueAt } of later) await schedule(notice, dueAt)
      for (const { kind, notices } of groups) {
        await inbox.deliverMany(work.courseId, notices.map((n) => ({
          recipient: n.inbox, item: { id: `${job.id}-${n.key}`, kind, text: n.line ?? n.subject, page: n.page, at: job.at }
        })))
        if (mail !== null) await email(mail, job, work.courseId, kind, notices)
      }
    }
    await jobs.done(job.id)
  }
  const inBackground = (job: NoticeJob): void => {
    const work = handle(job).catch((err: unknown) => { log.error({ err, job: job.id }, 'notification job failed; it is taken up again later') })
      .finally(() => running.delete(job.id))
    running.set(job.id, work)
  }

  return {
    subscribe: (events: EventBus): void => {
      events.subscribe(NOTICE_EVENTS, async (event) => {
        if (!tellsSomeone(event)) return
        const at = now()
        const job = { id: randomBytes(9).toString('base64url'), event, at, dueAt: new Date(at.getTime() + GRACE_MS) }
        await jobs.record(job)
        inBackground(job)
      })
    },
    /** Takes up the jobs due by `at`: reminders and summaries whose time came, and events a stopped process left. */
    takeUpDue: async (at = now()): Promise<number> => {
      let taken = 0
      for (const job of await jobs.due(at)) {
        if (running.has(job.id) || !await jobs.claim(job.id, at)) continue
        inBackground(job)
        taken++
      }
      return taken
    },
    /** Resolves once every job started here has delivered its notices. */
    settled: async (): Promise<void> => { while (running.size > 0) await Promise.allSettled([...running.values()]) }
  }
}

export type Notifier = ReturnType<typeof createNotifier>
