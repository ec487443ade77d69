import type { FastifyReply } from 'fastify'
import { z } from 'zod'
import type { Auth } from '../auth/require-session'
import { fieldsOf, type FieldError } from '../domain/activities/field-error'
import { fieldErrorsOf } from '../domain/pools/field-errors'
import { AppError } from '../errors'
import { withSession } from './view-helpers'

// Page forms are authenticated by the session token in their hidden `session` field. A cross-site page cannot
// know that token (there is no cookie to ride on), which is what protects these forms against CSRF.

/**
 * What an HTML form posts: text fields, some repeated (checkboxes). The route accepts any such body and the
 * form's own zod schema judges it in `submit`, so a refused form is shown again with each error by its field.
 */
export const FormBody = z.record(z.string(), z.union([z.string(), z.array(z.string())]))
export type FormBody = z.infer<typeof FormBody>

/** The string values a form posted (repeated or unexpected shapes are dropped), to check and to show back. */
export const textValues = (body: FormBody): Record<string, string> =>
  Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== 'session'))

/** Why a form was refused: the problems to show beside their fields (or the whole form), and the status to answer. */
export interface Refusal { errors: FieldError[], status: number }

/**
 * Checks the input with the zod schema (the JSON API's own, where there is one) and runs the change. Answers the
 * refusal to show on the form: named fields, or the whole form for conflicts such as "the trip is full"; else null.
 */
export async function submit<T> (schema: z.ZodType<T>, input: unknown, run: (data: T) => Promise<unknown>): Promise<Refusal | null> {
  const parsed = schema.safeParse(input)
  if (!parsed.success) return { errors: fieldErrorsOf(parsed.error), status: 400 }
  try {
    await run(parsed.data)
    return null
  } catch (err) {
    const fields = fieldsOf(err)
    if (fields && err instanceof AppError) return { errors: fields, status: err.statusCode }
    if (err instanceof AppError && err.statusCode === 409) return { errors: [{ field: '(form)', message: err.message }], status: 409 }
    throw err
  }
}

/** A page's confirmations by key; a function words one with the count `n` the redirect carried. */
type Notices<K extends string> = Record<K, string | ((n: number) => string)>

/** The query of a page that confirms posts: an unknown notice shows nothing rather than refusing the page. */
export const noticeQuery = <K extends string>(notices: Notices<K>) => z.object({
  session: z.string().optional(),
  notice: z.enum(Object.keys(notices) as [K, ...K[]]).optional().catch(undefined),
  n: z.coerce.number().int().min(0).optional().catch(undefined)
})

export function noticeText<K extends string> (notices: Notices<K>, { notice, n }: { notice?: K, n?: number }): string | undefined {
  if (notice === undefined) return undefined
  const text = notices[notice]
  return typeof text === 'function' ? text(n ?? 0) : text
}

/**
 * Post/redirect/get: 303 back to a page of the same session (so reloading does not post again), naming by key the
 * confirmation the page shows; `extra` carries what the message needs, e.g. a count. `path` may end in a #fragment.
 */
export async function redirectWithNotice (reply: FastifyReply, auth: Pick<Auth, 'token'>, path: string, notice: string, extra: Record<string, string> = {}) {
  const query = new URLSearchParams({ notice, ...extra })
  // A fragment (the row the instructor was on) goes last, after the query.
  const [address = '', fragment] = path.split('#', 2)
  const href = `${address}${address.includes('?') ? '&' : '?'}${query.toString()}${fragment === undefined ? '' : `#${fragment}`}`
  return await reply.redirect(withSession(href, auth.token), 303)
}
