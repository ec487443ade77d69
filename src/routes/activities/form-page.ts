import type { FastifyReply } from 'fastify'
import type { Auth } from '../../auth/require-session'
import type { FieldError } from '../../domain/activities/field-error'
import { noticeQuery, noticeText } from '../../http/forms'
import { pageContext } from '../../http/page-context'
import { errorSummary, fieldViews, type FieldSpec, type FormValues } from './form-fields'


export interface FormPage {
  heading: string
  intro?: string
  action: string
  submitLabel: string
  cancelHref: string
  specs: FieldSpec[]
  values: FormValues
  errors?: FieldError[]
  hidden?: Record<string, string>
  deleteAction?: string
  nav: string
}

/** Renders one form of the mentoring record; 400 with the errors beside their fields and what was typed kept. */
export async function renderForm (reply: FastifyReply, auth: Auth, page: FormPage, status = 200) {
  const errors = page.errors ?? []
  return await reply.status(status).view('pages/record-form', {
    ...pageContext(auth, errors.length > 0 ? `Error: ${page.heading}` : page.heading, page.nav),
    ...page,
    fields: fieldViews(page.specs, page.values, errors),
    summary: errorSummary(page.specs, errors),
    hidden: Object.entries(page.hidden ?? {}).map(([name, value]) => ({ name, value }))
  })
}

/** Confirmations shown after a redirect, by the `notice` query parameter. */
const NOTICES: Record<string, string | ((n: number) => string)> = {
  saved: 'Saved.',
  'trip-published': (n) => `Saved. ${n === 1 ? 'The invited student is' : `The ${n} invited students are`} told in Mentorlink and by email, and reminded the day before.`,
  'trip-changed': 'Saved. The invited students are told what changed, in Mentorlink and by email.',
  logged: 'Saved. Your mentor will verify it.',
  deleted: 'Deleted.',
  verified: 'Verified.',
  returned: 'Returned to the student with your comment.',
  progress: 'Progress update saved.',
  rsvp: 'Your answer is saved.',
  'rsvp-waiting': (n) => `The trip is full, so you are on its waitlist: number ${n}. When a seat is given back, the next student waiting gets it and is told in Mentorlink and by email.`,
  'check-in-window': 'Saved. Check-in codes of this course\'s trips now work in the times you set.',
  'checked-in': 'You are checked in. Enjoy the trip!',
  'already-checked-in': 'You were already checked in.',
  attendance: 'Attendance saved.',
  'check-in-open': 'Check-in is open: show the code below at the event.',
  term: 'Term saved.',
  'slot-added': 'Saved. Your mentees can book these times now.',
  'slot-removed': 'Removed. Sessions already booked at those times stay booked.',
  booked: 'Booked. Your mentor is told in Mentorlink and by email, and the session is in your record as planned.',
  'session-moved': 'Moved. The other person is told in Mentorlink and by email.',
  'session-cancelled': 'Cancelled. The other person is told in Mentorlink and by email.'
}
export const PageQuery = noticeQuery(NOTICES)
export const noticeOf = (notice: string | undefined, n?: number): string | undefined => noticeText(NOTICES, { notice, n })
