import type { Id } from '../ids'
import type { CourseRole } from '../launch/roles'
import type { Term } from '../term/term'
import type { CalendarEvent } from './calendar-event'

/** Whose calendar: one person in one course, in the role they have there. */
export interface CalendarReader { courseId: Id, userId: Id, role: CourseRole }

/** The course as calendars need it; `changedAt`: when the course (its term, its milestones) last changed. */
export interface CalendarCourse { title: string, term: Term | null, changedAt: Date }

/**
 * One kind of thing a person's calendar shows: field trips, milestones, and later booked sessions. Each answers only
 * what the reader may see.
 */
export type CalendarSource = (reader: CalendarReader, course: CalendarCourse) => Promise<CalendarEvent[]>
export type CalendarSources = readonly CalendarSource[]

/** The address that opens `page` of Mentorlink for someone of `role` in the course (the email links' route). */
export type OpenLink = (courseId: Id, role: CourseRole, page: string) => string

/** A personal calendar link, kept under the SHA-256 of its token: the token itself is never stored. */
export interface FeedLink { tokenHash: string, courseId: Id, userId: Id, role: CourseRole, createdAt: Date }

/** Where personal calendar links are kept: at most one per person and course. */
export interface FeedLinkStore {
  /** Stores the link; false when the person already has one in the course (the store's unique index decides). */
  create: (link: FeedLink) => Promise<boolean>
  find: (tokenHash: string) => Promise<FeedLink | null>
  of: (courseId: Id, userId: Id) => Promise<FeedLink | null>
  remove: (courseId: Id, userId: Id) => Promise<void>
}

/** Whether the person still takes part in the course in that role (an active member; an external mentor: an active pool mentor). */
export type TakesPart = (courseId: Id, userId: Id, role: CourseRole) => Promise<boolean>
