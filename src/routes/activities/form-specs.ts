import type { Activity, Contact, FieldTrip, Goal, Reflection } from '../../domain/activities/ports'
import { TEXT_MAX } from '../../domain/activities/record-fields'
import {
  COACHING_SKILL_LABELS, GOAL_HORIZON_LABELS, GOAL_STATUS_LABELS, optionsOf
} from '../../domain/activities/vocabulary'
import { tripEnd } from '../../domain/activities/trip-clock'
import { tripZone } from '../../domain/activities/trip-time'
import { dayOf } from '../../domain/term/calendar-day'
import { termSpanText, type Term } from '../../domain/term/term'
import { allTimeZones, wallTimeOf } from '../../domain/time/zones'
import type { FieldSpec, FormValues, Option } from './form-fields'

/** The fields of each form of the mentoring record, and a stored entry as form values (for editing). */

export interface SpecContext { term: Term | null, activities?: Option[], invitees?: Option[] }

/** Every zone as a select's choices. */
export const zoneOptions = (): Option[] => allTimeZones().map((zone) => ({ value: zone, label: zone.replace(/_/g, ' ') }))

const termHint = (term: Term | null) => term ? `Between ${termSpanText(term)} (the term).` : 'The instructor has not set the term dates yet.'
const date = (ctx: SpecContext, label = 'Date'): FieldSpec => ({
  name: 'date', label, type: 'date', required: true, hint: termHint(ctx.term), ...(ctx.term ? { min: ctx.term.start, max: ctx.term.end } : {})
})
const textarea = (name: string, label: string, required: boolean, maxLength = TEXT_MAX): FieldSpec => ({ name, label, type: 'textarea', required, maxLength })
const text = (name: string, label: string, required: boolean, maxLength: number, hint?: string): FieldSpec => ({ name, label, type: 'text', required, maxLength, hint })

export const FORM_SPECS = {
  session: (ctx: SpecContext): FieldSpec[] => [
    date(ctx),
    { name: 'durationMinutes', label: 'Duration in minutes', type: 'number', required: true, min: 5, max: 600 },
    { name: 'topics', label: 'Topics', type: 'list', maxLength: 900, hint: 'Separate topics with commas (up to 10).' },
    textarea('notes', 'Notes', false)
  ],
  coaching: (ctx: SpecContext): FieldSpec[] => [
    date(ctx),
    { name: 'skill', label: 'Skill', type: 'select', required: true, options: optionsOf(COACHING_SKILL_LABELS) },
    textarea('practised', 'What was practised', true)
  ],
  meeting: (ctx: SpecContext): FieldSpec[] => [
    date(ctx),
    text('organisation', 'Organisation', true, 160),
    textarea('reflection', 'Reflection', true)
  ],
  goal: (_ctx: SpecContext): FieldSpec[] => [
    { name: 'horizon', label: 'Kind of goal', type: 'select', required: true, options: optionsOf(GOAL_HORIZON_LABELS) },
    textarea('text', 'Goal', true, 1000),
    { name: 'targetDate', label: 'Target date', type: 'date', required: true },
    { name: 'status', label: 'Status', type: 'select', required: true, options: optionsOf(GOAL_STATUS_LABELS) }
  ],
  progress: (ctx: SpecContext): FieldSpec[] => [
    date(ctx),
    textarea('note', 'Progress note', true, 1000),
    { name: 'status', label: 'New status', type: 'select', none: 'Keep the current status', options: optionsOf(GOAL_STATUS_LABELS) }
  ],
  contact: (_ctx: SpecContext): FieldSpec[] => [
    text('name', 'Name', true, 120),
    text('organisation', 'Organisation', false, 160),
    text('role', 'Role', false, 120),
    text('whereMet', 'Where you met', false, 200),
    textarea('followUp', 'Follow-up', false, 1000)
  ],
  reflection: (ctx: SpecContext): FieldSpec[] => [
    date(ctx),
    textarea('text', 'Reflection', true),
    { name: 'activityId', label: 'About the activity', type: 'select', none: 'No particular activity', options: ctx.activities ?? [] }
  ],
  trip: (ctx: SpecContext): FieldSpec[] => [
    text('title', 'Title', true, 160),
    {
      name: 'startsAt', label: 'Starts', type: 'datetime-local', required: true, hint: `${termHint(ctx.term)} As the clocks say where the trip happens.`,
      ...(ctx.term ? { min: `${ctx.term.start}T00:00`, max: `${ctx.term.end}T23:59` } : {})
    },
    { name: 'endsAt', label: 'Ends', type: 'datetime-local', required: true, hint: 'After the start, as the clocks say where the trip happens.' },
    { name: 'timeZone', label: 'Time zone of the place', type: 'select', options: zoneOptions(), hint: 'Everyone sees the times as they are there, and their own time beside them when theirs differs.' },
    text('place', 'Place', true, 200),
    textarea('description', 'Description', false),
    { name: 'capacity', label: 'Seats', type: 'number', required: true, min: 1, max: 500, hint: 'How many students can come.' },
    {
      name: 'openToCourse', label: 'Who may come', type: 'checkboxes', options: [{ value: 'yes', label: 'Open to every student of the course' }],
      hint: 'Every student of the course is invited, whoever their mentor. When the seats are taken, students who say yes join a waitlist and get a seat, in turn, when one is given back.'
    },
    { name: 'invitedUserIds', label: 'Invited students', type: 'checkboxes', options: ctx.invitees ?? [], hint: 'Not used when the trip is open to every student of the course.' }
  ],
  'return': (_ctx: SpecContext): FieldSpec[] => [textarea('comment', 'Why you are returning it', true, 1000)]
} as const

/** A stored entry as the text its edit form starts from. */
export const storedValues = {
  activity: (a: Activity): FormValues => ({
    date: dayOf(a.date),
    durationMinutes: a.durationMinutes != null ? String(a.durationMinutes) : '',
    topics: (a.topics ?? []).join(', '),
    notes: a.notes ?? '',
    skill: a.skill ?? '',
    practised: a.practised ?? '',
    organisation: a.organisation ?? '',
    reflection: a.reflection ?? ''
  }),
  goal: (g: Goal): FormValues => ({ horizon: g.horizon, text: g.text, targetDate: dayOf(g.targetDate), status: g.status }),
  contact: (c: Contact): FormValues => ({ name: c.name, organisation: c.organisation, role: c.role, whereMet: c.whereMet, followUp: c.followUp }),
  reflection: (r: Reflection): FormValues => ({ date: dayOf(r.date), text: r.text, activityId: r.activityId ? String(r.activityId) : '' }),
  trip: (t: FieldTrip): FormValues => ({
    title: t.title, startsAt: wallTimeOf(t.startsAt, tripZone(t)), endsAt: wallTimeOf(tripEnd(t), tripZone(t)), timeZone: tripZone(t), place: t.place, description: t.description, capacity: String(t.capacity),
    openToCourse: t.openToCourse === true ? ['yes'] : [], invitedUserIds: t.invitedUserIds.map(String)
  })
}
