import { addDays, daysBetween, type Day } from '../term/calendar-day'
import type { Milestone, Term } from '../term/term'
import { POINT_KEYS, POINT_LABELS, type PointKey } from './vocabulary'

/** When one assessment point takes ratings: from `opens`; after `due` a submission counts as late. */
export interface AssessmentPoint {
  key: PointKey
  label: string
  opens: Day
  due: Day
  /** The milestone that set the due day, if one did (else it follows from the term's dates). */
  milestone: string | null
}

export type PointState = 'upcoming' | 'open' | 'overdue'

/** A milestone whose title names the point sets its due day ("Kick-off", "Mid-term review", "Final presentations"). */
const TITLES: Record<PointKey, RegExp> = {
  start: /\b(start|kick-?off|begin|baseline|initial|intake)/i,
  mid: /\bmid/i,
  end: /\b(end|final|clos|wrap)/i
}
/** Without a milestone: the start point is due two weeks into the term, mid-term half way, the end point on its last day. */
const START_DAYS = 14
/** The mid-term and end points open this many days before they are due. */
const WINDOW_DAYS = 14

const earlier = (a: Day, b: Day): Day => a < b ? a : b
const later = (a: Day, b: Day): Day => a > b ? a : b

/** The three points of a term, each from its milestone where the Term page has one. */
export function assessmentPoints (term: Term): AssessmentPoint[] {
  const milestoneFor = (key: PointKey): Milestone | undefined => term.milestones.find((m) => TITLES[key].test(m.title))
  const fallback: Record<PointKey, Day> = {
    start: earlier(addDays(term.start, START_DAYS), term.end),
    mid: addDays(term.start, Math.floor(daysBetween(term.start, term.end) / 2)),
    end: term.end
  }
  return POINT_KEYS.map((key) => {
    const milestone = milestoneFor(key)
    const due = milestone?.date ?? fallback[key]
    const opens = key === 'start' ? term.start : later(term.start, earlier(due, addDays(due, -WINDOW_DAYS)))
    return { key, label: POINT_LABELS[key], opens, due, milestone: milestone?.title ?? null }
  })
}

export function pointState (point: AssessmentPoint, today: Day): PointState {
  if (today < point.opens) return 'upcoming'
  return today > point.due ? 'overdue' : 'open'
}
