import { LRUCache } from 'lru-cache'
import type { Config } from './config'
import type { FieldTripRepository, RsvpRepository, StudentRecordRepositories } from './domain/activities/ports'
import { ACTIVITY_KIND_LABELS } from './domain/activities/vocabulary'
import type { BookingRepository } from './domain/booking/ports'
import { sessionEntry } from './domain/booking/session-calendar'
import type { Id } from './domain/ids'
import type { CourseRole } from './domain/launch/roles'
import type { DomainEvent } from './domain/events/domain-events'
import type { Logger } from './domain/logger'
import { recipientOf } from './domain/notifications/notice'
import { createNotifier } from './domain/notifications/notifier'
import type { CourseNoticeSettings, CourseWeek, EmailRenderer, Inbox, MailQueue, PairingDirectory } from './domain/notifications/ports'
import { addDays, dayToDate } from './domain/term/calendar-day'
import { DEFAULT_QUIET_DAYS, quietPairsOf } from './domain/notifications/quiet-pairs'
import { createUnsubscribeSigner, UNSUBSCRIBE_PATH } from './domain/notifications/unsubscribe'
import { tripZone } from './domain/activities/trip-time'
import { dayLabel, timeLabelsIn } from './http/date-labels'
import { calendarFile } from './notifications/calendar-file'
import type { Models } from './persistence/database'
import { createLeases } from './persistence/leases'
import { createInboxRepository } from './persistence/repositories/inbox.repository'
import {
  createCourseNoticeSettingRepository, createDigestItemRepository, createMailPreferenceRepository, createNoticeJobRepository
} from './persistence/repositories/notification.repository'

/** What the notices of a course are made of: who is in it, paired with whom, and what they recorded. */
export interface NoticeSources {
  courseTitle: (courseId: Id) => Promise<string | null>
  members: (courseId: Id) => Promise<Array<{ userId: Id, name: string, email: string, role: string, status: string }>>
  milestones: (courseId: Id) => Promise<Array<{ title: string, date: string }>>
  /** The course's week as its instructors' summary tells it, but for the pairs at risk (counted here). */
  week: (courseId: Id, day: string) => Promise<Omit<CourseWeek, 'atRisk'>>
  member: (courseId: Id, userId: Id) => Promise<{ name: string } | null>
  activePairs: (courseId: Id) => Promise<Array<{ studentUserId: Id, mentorId: Id, pairedAt: Date }>>
  /** The course's students as its table has them: name, address, and the day of their last activity. */
  studentLines: (courseId: Id) => Promise<Map<Id, { name: string, email: string, lastActivity: string | null }>>
  poolMentors: (courseId: Id) => Promise<Array<{ id: Id, name: string, email: string, organisation: string, availability?: string, userId?: Id | null }>>
  intakeGoals: (courseId: Id) => Promise<Map<Id, string>>
  records: Pick<StudentRecordRepositories, 'activities'>
  trips: Pick<FieldTripRepository, 'findEvenCancelled'>
  rsvps: Pick<RsvpRepository, 'ofTrip'>
  bookings: Pick<BookingRepository, 'find'>
  /** The course's assessment points (start, mid-term, end) and the assessments submitted, by student, point and side. */
  assessments: (courseId: Id) => Promise<{ points: Array<{ key: string, label: string, due: string }>, submitted: Array<{ studentUserId: Id, point: string, side: 'self' | 'mentor' }> }>
  /** A signed-in mentor's entries in a pool (usually one). */
  mentorIdsOf: (poolId: Id, userId: Id) => Promise<Id[]>
}

/** Someone signed in to a course, as their in-app list knows them. */
export interface Reader { courseId: Id, userId: Id, role: 'student' | 'mentor' | 'instructor', poolId: Id | null }

/** How long a mentor's pool entries are remembered for their notification count (a page reads it every time). */
const MENTOR_IDS_MS = 5 * 60_000

/** The directory notices read people and things from, over the app's repositories. */
function createNoticeDirectory (s: NoticeSources, settings: Pick<CourseNoticeSettings, 'quietDays'>): PairingDirectory {
  const mentorsOf = async (courseId: Id, ids: readonly Id[]) => {
    const wanted = new Set(ids)
    return new Map((await s.poolMentors(courseId)).filter((m) => wanted.has(m.id)).map((m) => [m.id, { name: m.name, email: m.email, organisation: m.organisation, availability: m.availability ?? '' }]))
  }
  const quietPairs = async (courseId: Id, now: Date) => {
    const [pairs, lines, days] = await Promise.all([s.activePairs(courseId), s.studentLines(courseId), settings.quietDays(courseId)])
    return quietPairsOf(pairs, lines, days ?? DEFAULT_QUIET_DAYS, now)
  }
  return {
    courseTitle: async (courseId) => await s.courseTitle(courseId) || 'your course',
    students: async (courseId, ids) => {
      const wanted = new Set(ids)
      return new Map((await s.members(courseId)).filter((m) => wanted.has(m.userId)).map((m) => [m.userId, { name: m.name || m.email, email: m.email }]))
    },
    goals: s.intakeGoals,
    mentors: mentorsOf,
    activePairs: s.activePairs,
    milestones: async (courseId) => (await s.milestones(courseId)).map((m) => ({ ...m, label: dayLabel(dayToDate(m.date)) })),
    assessmentsDue: async (courseId, today, days) => {
      const { points, submitted } = await s.assessments(courseId)
      const soon = points.filter((p) => p.due > today && p.due <= addDays(today, days))
      if (soon.length === 0) return []
      const [members, pairs, mentors] = await Promise.all([s.members(courseId), s.activePairs(courseId), s.poolMentors(courseId)])
      const students = members.filter((m) => m.role === 'student' && m.status === 'active')
      const has = (point: string, side: 'self' | 'mentor', studentUserId: Id) => submitted.some((a) => a.point === point && a.side === side && a.studentUserId === studentUserId)
      return soon.map((p) => {
        const waiting = new Map<Id, number>()
        for (const pair of pairs) if (!has(p.key, 'mentor', pair.studentUserId)) waiting.set(pair.mentorId, (waiting.get(pair.mentorId) ?? 0) + 1)
        return {
          point: p.key, label: p.label, due: p.due, dueLabel: dayLabel(dayToDate(p.due)),
          students: students.filter((m) => !has(p.key, 'self', m.userId)).map((m) => ({ userId: m.userId, name: m.name || m.email, email: m.email })),
          mentors: mentors.filter((m) => waiting.has(m.id)).map((m) => ({ mentorId: m.id, name: m.name, email: m.email, mentees: waiting.get(m.id) ?? 0 }))
        }
      })
    },
    people: async (courseId, role) => (await s.members(courseId)).filter((m) => m.role === role && m.status === 'active')
      .map((m) => ({ userId: m.userId, name: m.name || m.email, email: m.email })),
    courseWeek: async (courseId, day) => {
      const [week, atRisk] = await Promise.all([s.week(courseId, day), quietPairs(courseId, dayToDate(day))])
      return { ...week, atRisk: atRisk.length }
    },
    quietPairs: async (courseId, now) => await quietPairs(courseId, now),
    mentorOf: async (courseId, studentUserId) => (await s.activePairs(courseId)).find((p) => p.studentUserId === studentUserId)?.mentorId ?? null,
    returnedEntry: async (courseId, recordId, byUserId) => {
      const [activity, by] = await Promise.all([s.records.activities.find(courseId, recordId), s.member(courseId, byUserId)])
      if (activity === null || activity.status !== 'rejected') return null
      return { what: ACTIVITY_KIND_LABELS[activity.kind].toLowerCase(), date: dayLabel(activity.date), comment: activity.review?.comment ?? '', byName: by?.name || 'Your mentor' }
    },
    pendingEntry: async (courseId, recordId) => {
      const activity = await s.records.activities.find(courseId, recordId)
      if (activity === null || activity.status !== 'pending') return null
      const student = await s.member(courseId, activity.studentUserId)
      return { what: ACTIVITY_KIND_LABELS[activity.kind].toLowerCase(), date: dayLabel(activity.date), studentName: student?.name || 'Your mentee' }
    },
    trip: async (courseId, tripId) => {
      const trip = await s.trips.findEvenCancelled(courseId, tripId)
      if (trip === null) return null
      const organiser = await s.member(courseId, trip.organiserUserId)
      return {
        title: trip.title, when: timeLabelsIn(tripZone(trip)).happening(trip.startsAt, tripZone(trip)), place: trip.place, organiser: organiser?.name || 'Your mentor',
        description: trip.description, startsAt: trip.startsAt, endsAt: trip.endsAt, timeZone: tripZone(trip), cancelled: trip.deletedAt !== null && trip.deletedAt !== undefined,
        changedAt: trip.deletedAt ?? trip.updatedAt ?? trip.startsAt
      }
    },
    session: async (courseId, bookingId) => {
      const booking = await s.bookings.find(courseId, bookingId)
      if (booking === null) return null
      // An external mentor is no member of the course: their name is in the pool.
      const [student, member, pool] = await Promise.all([s.member(courseId, booking.studentUserId), s.member(courseId, booking.mentorUserId), s.poolMentors(courseId)])
      const mentor = member?.name || pool.find((m) => m.userId === booking.mentorUserId)?.name
      const names = { student: student?.name || 'Your mentee', mentor: mentor || 'Your mentor' }
      return {
        when: timeLabelsIn(booking.timeZone).happening(booking.startsAt, booking.timeZone), minutes: booking.minutes, place: booking.place, videoLink: booking.videoLink, note: booking.note,
        studentName: names.student, mentorName: names.mentor, calendar: sessionEntry(booking, names)
      }
    },
    tripGoing: async (courseId, tripId) => {
      const [trip, answers] = await Promise.all([s.trips.findEvenCancelled(courseId, tripId), s.rsvps.ofTrip(tripId)])
      // A student on the waitlist has no seat yet: the reminder is for those who may come.
      const declined = new Set(answers.filter((a) => a.answer === 'no' || a.answer === 'waiting').map((a) => a.studentUserId))
      return (trip?.invitedUserIds ?? []).filter((id) => !declined.has(id))
    }
  }
}

/** How long a list's unread count is reused by this process (another process's delivery shows after this at most). */
const UNREAD_MS = 20_000

/** Every page's navigation shows the unread count: a short cache, forgotten here when this process changes the list. */
function withUnreadCache (inbox: Inbox): Inbox {
  const counts = new LRUCache<string, number>({ max: 50_000, ttl: UNREAD_MS })
  const key = (courseId: string, recipient: string) => `${courseId}:${recipient}`
  return {
    ...inbox,
    deliver: async (courseId, recipient, item) => { await inbox.deliver(courseId, recipient, item); counts.delete(key(courseId, recipient)) },
    deliverMany: async (courseId, entries) => {
      await inbox.deliverMany(courseId, entries)
      for (const { recipient } of entries) counts.delete(key(courseId, recipient))
    },
    markRead: async (courseId, recipient) => { await inbox.markRead(courseId, recipient); counts.set(key(courseId, recipient), 0) },
    unread: async (courseId, recipient) => {
      const known = counts.get(key(courseId, recipient))
      if (known !== undefined) return known
      const count = await inbox.unread(courseId, recipient)
      counts.set(key(courseId, recipient), count)
      return count
    }
  }
}

/** The address of a page of Mentorlink for someone of a role in a course: the route that signs them in first (`/go`). */
export const openLinkOf = (publicUrl: string) => (courseId: string, role: CourseRole, page: string): string =>
  `${publicUrl}/go/${courseId}/${role}?${new URLSearchParams({ to: page }).toString()}`

/**
 * Notifications: the in-app lists, people's email choices, the course's, and the notifier that turns events and
 * scheduled notices into both. `mail` is null when email is off: notices then reach the in-app lists only.
 */
export function buildNotices ({ config, models, log, sources, mail, renderer, announce }: {
  config: Config
  models: Models
  log: Logger
  sources: NoticeSources
  mail: { queue: MailQueue, kick: () => void } | null
  renderer: EmailRenderer
  /** Publishes the domain events that jobs due later stand for (a trip's start). */
  announce?: (event: DomainEvent) => Promise<void>
}) {
  const preferences = createMailPreferenceRepository(models)
  const courseSettings = createCourseNoticeSettingRepository(models)
  const inbox = withUnreadCache(createInboxRepository(models, createLeases(models)))
  const unsubscribeSigner = createUnsubscribeSigner(config.sessionSecret)
  const directory = createNoticeDirectory(sources, courseSettings)
  const notifier = createNotifier({
    jobs: createNoticeJobRepository(models),
    inbox,
    directory,
    digestHourUtc: config.mail.digestHourUtc,
    log,
    ...(announce ? { announce } : {}),
    mail: mail === null
      ? null
      : {
          queue: mail.queue,
          preferences,
          courses: courseSettings,
          digests: createDigestItemRepository(models),
          renderer,
          calendarFile,
          links: {
            open: openLinkOf(config.publicUrl),
            unsubscribe: (address, kind) => `${config.publicUrl}${UNSUBSCRIBE_PATH}?${new URLSearchParams({ a: address, k: kind, s: unsubscribeSigner.sign(address, kind) }).toString()}`
          },
          kick: mail.kick
        }
  })
  const mentorIds = new LRUCache<string, Id[]>({ max: 10_000, ttl: MENTOR_IDS_MS })
  /** The lists a reader's notices are in: their own, or as a mentor their pool entries'. */
  const listsOf = async ({ userId, role, poolId }: Reader): Promise<string[]> => {
    if (role !== 'mentor' || poolId === null) return [recipientOf.user(userId)]
    const key = `${poolId}:${userId}`
    let ids = mentorIds.get(key)
    if (ids === undefined) {
      ids = await sources.mentorIdsOf(poolId, userId)
      mentorIds.set(key, ids)
    }
    return ids.map(recipientOf.mentor)
  }
  const inApp = {
    unread: async (reader: Reader): Promise<number> =>
      (await Promise.all((await listsOf(reader)).map(async (list) => await inbox.unread(reader.courseId, list)))).reduce((a, b) => a + b, 0),
    /** The reader's newest notices, newest first; reading them marks the lists read. */
    read: async (reader: Reader, limit: number) => {
      const lists = await listsOf(reader)
      const items = (await Promise.all(lists.map(async (list) => await inbox.latest(reader.courseId, list, limit)))).flat()
      await Promise.all(lists.map(async (list) => { await inbox.markRead(reader.courseId, list) }))
      return items.sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, limit)
    }
  }
  /** The course's pairs gone quiet, as the instructor's list shows them, and the days that make a pair quiet there. */
  const atRisk = async (courseId: Id, now = new Date()) => {
    const [pairs, days] = await Promise.all([directory.quietPairs(courseId, now), courseSettings.quietDays(courseId)])
    const mentors = await directory.mentors(courseId, [...new Set(pairs.map((p) => p.mentorId))])
    return { days: days ?? DEFAULT_QUIET_DAYS, pairs: pairs.map((p) => ({ ...p, mentorName: mentors.get(p.mentorId)?.name ?? 'Unknown mentor' })) }
  }
  return { notifier, inApp, atRisk, preferences, courseSettings, unsubscribeSigner }
}
