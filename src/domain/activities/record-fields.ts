import { z } from 'zod'
import { DayText } from '../term/calendar-day'
import { isTimeZone } from '../time/zones'
import { CHECK_IN_WINDOW_MAX_MINUTES } from './trip-clock'
import { ATTENDANCE_STATUSES, COACHING_SKILLS, GOAL_HORIZONS, GOAL_STATUSES, RSVP_ANSWERS } from './vocabulary'

/** The rules for every field of the mentoring record, one set for the JSON API and (through a form adapter) pages. */

export const TEXT_MAX = 4000
export const IdText = z.string({ error: 'is required' }).regex(/^[0-9a-f]{24}$/, 'must be a 24-character hexadecimal id')

const oneOf = (values: readonly string[]) => `must be one of: ${values.join(', ')}`
const required = (max: number) => z.string({ error: 'is required' }).trim().min(1, 'is required').max(max, `must be at most ${max} characters`)
const optional = (max: number) => z.string({ error: 'must be text' }).trim().max(max, `must be at most ${max} characters`)
const wholeNumber = (min: number, max: number) => {
  const range = `must be a whole number from ${min} to ${max}`
  return z.number({ error: range }).int(range).min(min, range).max(max, range)
}
/** Who the entry is about: mentors and instructors name the student; a student's own entries need no id. */
const studentUserId = IdText.optional()

const sessionFields = {
  date: DayText,
  durationMinutes: wholeNumber(5, 600),
  topics: z.array(required(80), { error: 'must be a list of topics' }).max(10, 'must have at most 10 topics'),
  notes: optional(TEXT_MAX)
}
const coachingFields = {
  date: DayText,
  skill: z.enum(COACHING_SKILLS, { error: oneOf(COACHING_SKILLS) }),
  practised: required(TEXT_MAX)
}
const meetingFields = { date: DayText, organisation: required(160), reflection: required(TEXT_MAX) }

const kindError = { error: oneOf(['session', 'coaching', 'meeting']) }

export const ActivityCreate = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('session'), studentUserId, ...sessionFields, notes: sessionFields.notes.default('') }),
  z.strictObject({ kind: z.literal('coaching'), studentUserId, ...coachingFields }),
  z.strictObject({ kind: z.literal('meeting'), studentUserId, ...meetingFields })
], kindError)
export type ActivityCreate = z.output<typeof ActivityCreate>

const atLeastOne = (patch: object) => Object.keys(patch).length > 1
const someField = { message: 'give at least one field to change besides kind' }
/** An edit names the activity's kind, so each kind's fields are checked by that kind's rules. */
export const ActivityPatch = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('session'), ...sessionFields }).partial({ date: true, durationMinutes: true, topics: true, notes: true }).refine(atLeastOne, someField),
  z.strictObject({ kind: z.literal('coaching'), ...coachingFields }).partial({ date: true, skill: true, practised: true }).refine(atLeastOne, someField),
  z.strictObject({ kind: z.literal('meeting'), ...meetingFields }).partial({ date: true, organisation: true, reflection: true }).refine(atLeastOne, someField)
], kindError)
export type ActivityPatch = z.output<typeof ActivityPatch>

export const Verification = z.strictObject({
  decision: z.enum(['approve', 'reject'], { error: oneOf(['approve', 'reject']) }),
  comment: optional(1000).default('')
}).refine((v) => v.decision === 'approve' || v.comment !== '', { path: ['comment'], message: 'is required when returning an entry' })

const goalFields = {
  horizon: z.enum(GOAL_HORIZONS, { error: oneOf(GOAL_HORIZONS) }),
  text: required(1000),
  targetDate: DayText,
  status: z.enum(GOAL_STATUSES, { error: oneOf(GOAL_STATUSES) })
}
export const GoalCreate = z.strictObject({ studentUserId, ...goalFields, status: goalFields.status.default('not-started') })
export const GoalPatch = z.strictObject(goalFields).partial().refine((p) => Object.keys(p).length > 0, 'give at least one field to change')
export const GoalProgress = z.strictObject({ date: DayText, note: required(1000), status: goalFields.status.nullable().optional().describe('A new status for the goal; leave out to keep it') })

const contactFields = {
  name: required(120),
  organisation: optional(160),
  role: optional(120),
  whereMet: optional(200),
  followUp: optional(1000)
}
export const ContactCreate = z.strictObject({
  studentUserId,
  ...contactFields,
  organisation: contactFields.organisation.default(''),
  role: contactFields.role.default(''),
  whereMet: contactFields.whereMet.default(''),
  followUp: contactFields.followUp.default('')
})
export const ContactPatch = z.strictObject(contactFields).partial().refine((p) => Object.keys(p).length > 0, 'give at least one field to change')

const reflectionFields = { date: DayText, text: required(TEXT_MAX), activityId: IdText.nullable() }
export const ReflectionCreate = z.strictObject({ studentUserId, ...reflectionFields, activityId: reflectionFields.activityId.optional() })
export const ReflectionPatch = z.strictObject(reflectionFields).partial().refine((p) => Object.keys(p).length > 0, 'give at least one field to change')

const TripTimeText = z.string({ error: 'is required' }).trim().min(1, { error: 'is required', abort: true })
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/, 'must be a date and time as YYYY-MM-DDTHH:MM')

const tripFields = {
  title: required(160),
  /** Wall-clock times where the trip happens (in `timeZone`), or ISO instants with their offset. */
  startsAt: TripTimeText,
  endsAt: TripTimeText,
  /** The zone of the place where the trip happens (IANA, e.g. Europe/Berlin); the course's zone when left out. */
  timeZone: z.string().trim().refine(isTimeZone, 'must be a time zone such as Europe/Berlin'),
  place: required(200),
  description: optional(TEXT_MAX),
  capacity: wholeNumber(1, 500),
  invitedUserIds: z.array(IdText, { error: 'must be a list of student ids' }).max(500, 'must have at most 500 students'),
  openToCourse: z.boolean({ error: 'must be true or false' })
}
const listOrOpen = (t: { openToCourse?: boolean, invitedUserIds?: unknown }) => t.openToCourse !== true || t.invitedUserIds === undefined
const noListWhenOpen = { path: ['invitedUserIds'], message: 'must be left out when the trip is open to every student of the course' }
/**
 * Without `invitedUserIds`, a mentor invites all their mentees and an instructor the whole course; `openToCourse`
 * invites every student of the course, whoever organises it. The end is checked against the start once both are
 * read in the trip's zone (field-trip-service).
 */
export const FieldTripCreate = z.strictObject({
  ...tripFields, description: tripFields.description.default(''), timeZone: tripFields.timeZone.optional(), invitedUserIds: tripFields.invitedUserIds.optional(), openToCourse: tripFields.openToCourse.default(false)
}).refine(listOrOpen, noListWhenOpen)
export const FieldTripPatch = z.strictObject(tripFields).partial().refine((p) => Object.keys(p).length > 0, 'give at least one field to change')
  .refine(listOrOpen, noListWhenOpen)
/** Minutes before a trip's start and after its end in which its check-in codes work (each at most a day). */
export const CheckInWindowInput = z.strictObject({
  beforeMinutes: wholeNumber(0, CHECK_IN_WINDOW_MAX_MINUTES),
  afterMinutes: wholeNumber(0, CHECK_IN_WINDOW_MAX_MINUTES)
})
export const RsvpInput = z.strictObject({ answer: z.enum(RSVP_ANSWERS, { error: oneOf(RSVP_ANSWERS) }) })
export const AttendanceSheet = z.strictObject({
  entries: z.array(z.strictObject({
    studentUserId: IdText,
    status: z.enum(ATTENDANCE_STATUSES, { error: oneOf(ATTENDANCE_STATUSES) })
  })).min(1, 'must list at least one student').max(500, 'must have at most 500 entries')
})
export const CheckInOpen = z.strictObject({
  minutes: wholeNumber(1, 24 * 60).default(30),
  opensAt: z.iso.datetime({ offset: true, error: 'must be an ISO date-time' }).transform((t) => new Date(t)).optional()
})
export const CheckInCode = z.strictObject({
  code: z.string({ error: 'is required' }).trim().toUpperCase().regex(/^[A-Z0-9]{6}$/, 'must be the 6-character code shown at the event')
})
