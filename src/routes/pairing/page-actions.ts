import type { FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import { authOf } from '../../auth/require-session'
import { DomainError } from '../../domain/domain-error'
import { DOMAIN_STATUS } from '../../http/error-handler'
import { FormBody, redirectWithNotice, textValues } from '../../http/forms'
import type { PairingRoutesOptions } from './index'
import { pairingPage } from './pairing-page'


/** The first problem of a refused form, in the words of its label. */
const firstProblem = (error: z.ZodError): string => error.issues[0]?.message ?? 'Check the form and try again.'

/**
 * Runs one of the Pairing page's forms: on success, back to the page (at `anchor`, so the instructor stays where they
 * were) with a confirmation; when the form or a rule of the pairing refuses it, the page again with the reason at the
 * top and the 4xx status, so nothing is lost and nothing half-done.
 */
export function pageAction (options: PairingRoutesOptions) {
  return async <T>(request: FastifyRequest, reply: FastifyReply, schema: z.ZodType<T>, run: (data: T) => Promise<{ notice: string, n?: number, anchor?: string }>) => {
    const auth = authOf(request)
    const values = textValues(FormBody.catch({}).parse(request.body))
    const refuse = async (status: number, error: string) => await reply.status(status).view('pages/instructor-pairing', await pairingPage(options, auth, { error, values }))
    const parsed = schema.safeParse(request.body)
    if (!parsed.success) return await refuse(400, firstProblem(parsed.error))
    try {
      const done = await run(parsed.data)
      return await redirectWithNotice(reply, auth, `/instructor/pairing${done.anchor ? `#${done.anchor}` : ''}`, done.notice, done.n === undefined ? {} : { n: String(done.n) })
    } catch (err) {
      if (err instanceof DomainError) return await refuse(DOMAIN_STATUS[err.code], err.message)
      throw err
    }
  }
}
