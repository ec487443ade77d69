import { z } from 'zod'
import { dayOf } from '../../domain/term/calendar-day'
import {
  ACTIVITY_KINDS, ATTENDANCE_STATUSES, COACHING_SKILLS, GOAL_HORIZONS, GOAL_STATUSES, RSVP_STATES, VERIFICATION_STATUSES
} from '../../domain/activities/vocabulary'
import { tripZone } from '../../domain/activities/trip-time'
import type { Activity, Attendance, CheckIn, Contact, FieldTrip, Goal, Reflection, Rsvp, StudentRecord } from '../../domain/activities/ports'
import { waitlistPlace } from '../../domain/activities/field-trip-attendance'
import { tripEnd } from '../../domain/activities/trip-clock'
import type { AuditEntry } from '../../persistence/repositories/audit.repository'

/** The JSON the API answers with: one zod shape per entry (documented at /docs/json) and its mapper. */

const Role = z.enum(['instructor', 'mentor', 'student'])
const day = z.string().describe('YYYY-MM-DD')
const instant = z.string().describe('ISO 8601 date-time, UTC')
const idOf = (id: unknown): string => String(id)
const iso = (d: Date): string => d.toISOString()

const RecordBase = {
  id: z.string(),
  studentUserId: z.string(),
  createdBy: z.string(),
  createdByRole: Role,
  createdAt: instant,
  updatedAt: instant
}
const baseOf = (r: StudentRecord) => ({
  id: idOf(r._id), studentUserId: idOf(r.studentUserId), createdBy: idOf(r.createdBy), createdByRole: r.createdByRole, createdAt: iso(r.createdAt), updatedAt: iso(r.updatedAt)
})

export const ActivityJson = z.object({
  ...RecordBase,
  kind: z.enum(ACTIVITY_KINDS),
  date: day,
  status: z.enum(VERIFICATION_STATUSES),
  review: z.object({ by: z.string(), at: instant, comment: z.string() }).nullable().describe('Who verified or returned it, when and why'),
  durationMinutes: z.number().int().nullable(),
  topics: z.array(z.string()).nullable(),
  notes: z.string().nullable(),
  skill: z.enum(COACHING_SKILLS).nullable(),
  practised: z.string().nullable(),
  organisation: z.string().nullable(),
  reflection: z.string().nullable()
})
export const toActivityJson = (a: Activity): z.infer<typeof ActivityJson> => ({
  ...baseOf(a),
  kind: a.kind,
  date: dayOf(a.date),
  status: a.status,
  review: a.review?.by && a.review.at ? { by: idOf(a.review.by), at: iso(a.review.at), comment: a.review.comment } : null,
  durationMinutes: a.durationMinutes ?? null,
  topics: a.kind === 'session' ? a.topics ?? [] : null,
  notes: a.notes ?? null,
  skill: a.skill ?? null,
  practised: a.practised ?? null,
  organisation: a.organisation ?? null,
  reflection: a.reflection ?? null
})

export const GoalJson = z.object({
  ...RecordBase,
  horizon: z.enum(GOAL_HORIZONS),
  text: z.string(),
  targetDate: day,
  status: z.enum(GOAL_STATUSES),
  progress: z.array(z.object({ date: day, note: z.string(), status: z.enum(GOAL_STATUSES).nullable(), by: z.string(), at: instant }))
})
export const toGoalJson = (g: Goal): z.infer<typeof GoalJson> => ({
  ...baseOf(g),
  horizon: g.horizon,
  text: g.text,
  targetDate: dayOf(g.targetDate),
  status: g.status,
  progress: g.progress.map((p) => ({ date: dayOf(p.date), note: p.note, status: p.status ?? null, by: idOf(p.by), at: iso(p.at) }))
})

export const ContactJson = z.object({ ...RecordBase, name: z.string(), organisation: z.string(), role: z.string(), whereMet: z.string(), followUp: z.string() })
export const toContactJson = (c: Contact): z.infer<typeof ContactJson> =>
  ({ ...baseOf(c), name: c.name, organisation: c.organisation, role: c.role, whereMet: c.whereMet, followUp: c.followUp })

export const ReflectionJson = z.object({ ...RecordBase, date: day, text: z.string(), activityId: z.string().nullable() })
export const toReflectionJson = (r: Reflection): z.infer<typeof ReflectionJson> =>
  ({ ...baseOf(r), date: dayOf(r.date), text: r.text, activityId: r.activityId ? idOf(r.activityId) : null })

export const FieldTripJson = z.object({
  id: z.string(),
  title: z.string(),
  startsAt: instant,
  timeZone: z.string().describe('IANA zone of the place where the trip happens; its local time is read there'),
  endsAt: instant,
  place: z.string(),
  description: z.string(),
  capacity: z.number().int(),
  seatsTaken: z.number().int(),
  openToCourse: z.boolean().describe('Open to every student of the course; a yes to a full trip joins its waitlist'),
  organiserUserId: z.string(),
  organiserRole: Role,
  invitedUserIds: z.array(z.string()).describe('The invitees you may see: all for the organiser and instructors, your mentees, or yourself'),
  rsvps: z.array(z.object({
    studentUserId: z.string(),
    answer: z.enum(RSVP_STATES).describe('waiting: on the waitlist of a full trip'),
    waitlistPlace: z.number().int().nullable().describe('Where a waiting student stands (1: next to get a seat)')
  })),
  managed: z.boolean().describe('Whether you may edit it, keep its attendance and open check-ins')
})
export function toFieldTripJson (t: FieldTrip, rsvps: readonly Rsvp[], visible: readonly FieldTrip['organiserUserId'][], managed: boolean): z.infer<typeof FieldTripJson> {
  const shown = new Set(visible.map(idOf))
  return {
    id: idOf(t._id),
    title: t.title,
    startsAt: iso(t.startsAt),
    timeZone: tripZone(t),
    endsAt: iso(tripEnd(t)),
    place: t.place,
    description: t.description,
    capacity: t.capacity,
    seatsTaken: rsvps.filter((r) => r.answer === 'yes').length,
    openToCourse: t.openToCourse === true,
    organiserUserId: idOf(t.organiserUserId),
    organiserRole: t.organiserRole,
    invitedUserIds: [...shown],
    rsvps: rsvps.filter((r) => shown.has(idOf(r.studentUserId))).map((r) => ({ studentUserId: idOf(r.studentUserId), answer: r.answer, waitlistPlace: waitlistPlace(rsvps, r.studentUserId) })),
    managed
  }
}

export const AttendanceJson = z.object({ studentUserId: z.string(), status: z.enum(ATTENDANCE_STATUSES), via: z.enum(['checklist', 'check-in']), recordedAt: instant })
export const toAttendanceJson = (a: Attendance): z.infer<typeof AttendanceJson> =>
  ({ studentUserId: idOf(a.studentUserId), status: a.status, via: a.via, recordedAt: iso(a.recordedAt) })

export const CheckInJson = z.object({ fieldTripId: z.string(), code: z.string(), opensAt: instant, closesAt: instant })
export const toCheckInJson = (c: CheckIn): z.infer<typeof CheckInJson> =>
  ({ fieldTripId: idOf(c.fieldTripId), code: c.code, opensAt: iso(c.opensAt), closesAt: iso(c.closesAt) })

export const AuditJson = z.object({
  id: z.string(), entity: z.string(), entityId: z.string(), action: z.string(), actorUserId: z.string(), actorRole: Role, at: instant,
  before: z.unknown().describe('The entry before the change (null on creation, and for private entries such as contacts)'),
  after: z.unknown().describe('The entry after the change')
})
/** Contacts are private to the student and their mentor: the trail shows that one changed, not what it says. */
const PRIVATE_ENTITIES = new Set(['contact'])
// Round-trips through JSON so ids and dates inside the snapshots come out as strings.
const plain = (e: AuditEntry, value: unknown): unknown => PRIVATE_ENTITIES.has(e.entity) || value == null ? null : JSON.parse(JSON.stringify(value))
export const toAuditJson = (e: AuditEntry): z.infer<typeof AuditJson> => ({
  id: idOf(e._id), entity: e.entity, entityId: idOf(e.entityId), action: e.action, actorUserId: idOf(e.actorUserId), actorRole: e.actorRole, at: iso(e.at),
  before: plain(e, e.before),
  after: plain(e, e.after)
})

const counts = <K extends string>(keys: readonly K[]) =>
  z.object(Object.fromEntries(keys.map((k) => [k, z.number().int()])) as Record<K, z.ZodNumber>)

/** ProgressCounts (domain/activities/progress-counts.ts): what completion rules will read. */
export const ProgressJson = z.object({
  verified: counts(ACTIVITY_KINDS),
  coaching: counts(COACHING_SKILLS),
  fieldTripsAttended: z.number().int(),
  goalsSet: counts(GOAL_HORIZONS),
  goalsAchieved: counts(GOAL_HORIZONS),
  reflections: z.number().int()
})
