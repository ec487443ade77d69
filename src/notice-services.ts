import type { Config } from './config'
import type { FieldTripRepository, RsvpRepository, StudentRecordRepositories } from './domain/activities/ports'
import { ACTIVITY_KIND_LABELS } from './domain/activities/vocabulary'
import type { Id } from './domain/ids'
import type { Logger } from './domain/logger'
import { createNotifier } from './domain/notifications/notifier'
import type { EmailRenderer, MailQueue, PairingDirectory } from './domain/notifications/ports'
import { createUnsubscribeSigner, UNSUBSCRIBE_PATH } from './domain/notifications/unsubscribe'
import { dayLabel, timeLabel } from './http/date-labels'
import { calendarFile } from './notifications/calendar-file'
import type { Models } from './persistence/database'
import { createInboxRepository } from './persistence/repositories/inbox.repository'
import {
  createCourseNoticeSettingRepository, createDigestItemRepository, createMailPreferenceRepository, createNoticeJobRepository
} from './persistence/repositories/notification.repository'

/** What the notices of a course are made of: who is in it, paired with whom, and what they recorded. */
export interface NoticeSources {
  courseTitle: (courseId: Id) => Promise<string | null>
  members: (courseId: Id) => Promise<Array<{ userId: Id, name: string, email: string }>>
  member: (courseId: Id, userId: Id) => Promise<{ name: string } | null>
  activePairs: PairingDirectory['activePairs']
  poolMentors: (courseId: Id) => Promise<Array<{ id: Id, name: string, email: string, organisation: string }>>
  intakeGoals: (courseId: Id) => Promise<Map<Id, string>>
  records: Pick<StudentRecordRepositories, 'activities'>
  trips: Pick<FieldTripRepository, 'findEvenCancelled'>
  rsvps: Pick<RsvpRepository, 'ofTrip'>
}

/** The directory notices read people and things from, over the app's repositories. */
function createNoticeDirectory (s: NoticeSources): PairingDirectory {
  const mentorsOf = async (courseId: Id, ids: readonly Id[]) => {
    const wanted = new Set(ids)
    return new Map((await s.poolMentors(courseId)).filter((m) => wanted.has(m.id)).map((m) => [m.id, { name: m.name, email: m.email, organisation: m.organisation }]))
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
        title: trip.title, when: timeLabel(trip.startsAt), place: trip.place, organiser: organiser?.name || 'Your mentor',
        description: trip.description, startsAt: trip.startsAt, cancelled: trip.deletedAt !== null && trip.deletedAt !== undefined
      }
    },
    tripGoing: async (courseId, tripId) => {
      const [trip, answers] = await Promise.all([s.trips.findEvenCancelled(courseId, tripId), s.rsvps.ofTrip(tripId)])
      const declined = new Set(answers.filter((a) => a.answer === 'no').map((a) => a.studentUserId))
      return (trip?.invitedUserIds ?? []).filter((id) => !declined.has(id))
    }
  }
}

/**
 * Notifications: the in-app lists, people's email choices, the course's, and the notifier that turns events and
 * scheduled notices into both. `mail` is null when email is off: notices then reach the in-app lists only.
 */
export function buildNotices ({ config, models, log, sources, mail, renderer }: {
  config: Config
  models: Models
  log: Logger
  sources: NoticeSources
  mail: { queue: MailQueue, kick: () => void } | null
  renderer: EmailRenderer
}) {
  const preferences = createMailPreferenceRepository(models)
  const courseSettings = createCourseNoticeSettingRepository(models)
  const inbox = createInboxRepository(models)
  const unsubscribeSigner = createUnsubscribeSigner(config.sessionSecret)
  const directory = createNoticeDirectory(sources)
  const notifier = createNotifier({
    jobs: createNoticeJobRepository(models),
    inbox,
    directory,
    log,
    mail: mail === null
      ? null
      : {
          queue: mail.queue,
          preferences,
          courses: courseSettings,
          digests: createDigestItemRepository(models),
          renderer,
          calendarFile,
          digestHourUtc: config.mail.digestHourUtc,
          links: {
            open: (courseId, role) => `${config.publicUrl}/go/${courseId}/${role}`,
            unsubscribe: (address, kind) => `${config.publicUrl}${UNSUBSCRIBE_PATH}?${new URLSearchParams({ a: address, k: kind, s: unsubscribeSigner.sign(address, kind) }).toString()}`
          },
          kick: mail.kick
        }
  })
  return { notifier, inbox, preferences, courseSettings, unsubscribeSigner }
}
