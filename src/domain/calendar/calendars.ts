import { createHash, randomBytes } from 'node:crypto'
import { Errors } from '../../errors'
import type { FieldTripService } from '../activities/field-trip-service'
import type { Id } from '../ids'
import type { CalendarEvent } from './calendar-event'
import { actorOf, milestoneEventFor, tripEventFor } from './calendar-sources'
import { keyedMilestones } from './milestone-events'
import type { CalendarCourse, CalendarReader, CalendarSources, FeedLinkStore, OpenLink, TakesPart } from './ports'

export interface CalendarsDeps {
  sources: CalendarSources
  trips: Pick<FieldTripService, 'get'>
  links: FeedLinkStore
  takesPart: TakesPart
  course: (courseId: Id) => Promise<CalendarCourse | null>
  open: OpenLink
  /** The feed's address for a token. */
  feedUrl: (token: string) => string
  now?: () => Date
}

/** Where a personal feed is served; its token travels as `?token=`, which logs redact. */
export const CALENDAR_FEED_PATH = '/calendar/feed.ics'

/** A calendar to serve: its name and events. */
export interface Calendar { name: string, events: CalendarEvent[] }

/** 32 random bytes: as hard to guess as a key, and the only credential a calendar app sends. */
const TOKEN_BYTES = 32
export const hashOfFeedToken = (token: string): string => createHash('sha256').update(token).digest('hex')
const nameOf = (course: CalendarCourse): string => `Mentorlink: ${course.title}`

/**
 * Calendars: one event to download (a trip the person may see, a milestone of their course), and the personal feed a
 * calendar app subscribes to. The feed's secret link is made on request, shown once, stored only as its hash, and
 * stopped on request; each fetch checks that the person still takes part in the course, so leaving it stops the feed.
 */
export function createCalendars (deps: CalendarsDeps) {
  const now = deps.now ?? (() => new Date())
  const eventsOf = async (reader: CalendarReader, course: CalendarCourse): Promise<CalendarEvent[]> =>
    (await Promise.all(deps.sources.map(async (source) => await source(reader, course)))).flat()
      .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.uid.localeCompare(b.uid))

  return {
    /** One trip as a calendar; 404 unless the reader may see the trip. */
    trip: async (reader: CalendarReader, course: CalendarCourse, tripId: Id): Promise<Calendar> => {
      const trip = await deps.trips.get(actorOf(reader, course), tripId)
      return { name: nameOf(course), events: [tripEventFor(deps.open, reader, trip)] }
    },

    milestone: (reader: CalendarReader, course: CalendarCourse, key: string): Calendar => {
      const milestone = keyedMilestones(course.term?.milestones ?? []).find((m) => m.key === key)
      if (milestone === undefined) throw Errors.notFound('Milestone')
      return { name: nameOf(course), events: [milestoneEventFor(deps.open, reader, course, milestone)] }
    },

    /** When the person made the link they have in this course, or null without one. */
    linkMadeAt: async (reader: CalendarReader): Promise<Date | null> => (await deps.links.of(reader.courseId, reader.userId))?.createdAt ?? null,

    /** A new link (its address, to show once), or null when the person already has one: they stop it first. */
    makeLink: async (reader: CalendarReader): Promise<string | null> => {
      const token = randomBytes(TOKEN_BYTES).toString('base64url')
      const made = await deps.links.create({ tokenHash: hashOfFeedToken(token), courseId: reader.courseId, userId: reader.userId, role: reader.role, createdAt: now() })
      return made ? deps.feedUrl(token) : null
    },

    stopLink: async (reader: CalendarReader): Promise<void> => { await deps.links.remove(reader.courseId, reader.userId) },

    /** The feed a token opens, or null: an unknown or stopped link, or a person who no longer takes part in the course. */
    feed: async (token: string): Promise<Calendar | null> => {
      const link = await deps.links.find(hashOfFeedToken(token))
      if (link === null) return null
      const [course, takesPart] = await Promise.all([deps.course(link.courseId), deps.takesPart(link.courseId, link.userId, link.role)])
      if (course === null || !takesPart) return null
      return { name: nameOf(course), events: await eventsOf({ courseId: link.courseId, userId: link.userId, role: link.role }, course) }
    }
  }
}

export type Calendars = ReturnType<typeof createCalendars>
