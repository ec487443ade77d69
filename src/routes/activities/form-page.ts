import type { FastifyReply } from 'fastify'
import { z } from 'zod'
import type { Auth } from '../../auth/require-session'
import { fieldsOf, type FieldError } from '../../domain/activities/field-error'
import { fieldErrorsOf } from '../../domain/pools/field-errors'
import { AppError } from '../../errors'
import { withSession } from '../../http/view-helpers'
import { pageContext } from '../page-context'
import { errorSummary, fieldViews, type FieldSpec, type FormValues } from './form-fields'

/** Any form post: text fields, some repeated (checkboxes); each form's own zod rules judge the values. */
export const FormBody = z.record(z.string(), z.union([z.string(), z.array(z.string())]))
export const PageQuery = z.object({ session: z.string().optional(), notice: z.string().max(40).optional() })

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

/**
 * Checks the input with the API's zod schema and runs the change. Answers the problems to show on the form (named
 * fields, or the whole form for refusals such as "verified entries can only be changed by your mentor"), or null.
 */
export async function submit<T> (schema: z.ZodType<T>, input: unknown, run: (data: T) => Promise<unknown>): Promise<FieldError[] | null> {
  const parsed = schema.safeParse(input)
  if (!parsed.success) return fieldErrorsOf(parsed.error)
  try {
    await run(parsed.data)
    return null
  } catch (err) {
    const fields = fieldsOf(err)
    if (fields) return fields
    if (err instanceof AppError && err.statusCode === 409) return [{ field: '(form)', message: err.message }]
    throw err
  }
}

/** After a successful post: back to the page with a confirmation (303, so reloading does not post again). */
export const done = async (reply: FastifyReply, auth: Auth, path: string, notice: string) =>
  await reply.redirect(withSession(`${path}${path.includes('?') ? '&' : '?'}notice=${notice}`, auth.token), 303)

/** Confirmations shown after a redirect, by the `notice` query parameter. */
const NOTICES: Record<string, string> = {
  saved: 'Saved.',
  logged: 'Saved. Your mentor will verify it.',
  deleted: 'Deleted.',
  verified: 'Verified.',
  returned: 'Returned to the student with your comment.',
  progress: 'Progress update saved.',
  rsvp: 'Your answer is saved.',
  'checked-in': 'You are checked in. Enjoy the trip!',
  'already-checked-in': 'You were already checked in.',
  attendance: 'Attendance saved.',
  'check-in-open': 'Check-in is open: show the code below at the event.',
  term: 'Term saved.'
}
export const noticeOf = (key: string | undefined): string | undefined => key === undefined ? undefined : NOTICES[key]
