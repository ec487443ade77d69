import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { authOf, type Auth } from '../../auth/require-session'
import { BIO_MAX, CAPACITY_MAX, CAPACITY_MIN } from '../../domain/pools/mentor-fields'
import { MAX_CSV_ROWS, type RowError } from '../../domain/pools/mentor-csv'
import { FormBody, redirectWithNotice } from '../../http/forms'
import { pageContext } from '../../http/page-context'
import type { PoolApiOptions } from './api'
import { poolCourseOf } from './pool-course'

const ImportForm = z.object({
  csv: z.string({ error: 'is required' }).refine((t) => t.trim() !== '', 'is empty: paste the CSV text or choose a file')
})

const COLUMN_HELP = [
  { column: 'name', required: true, rule: 'The mentor’s full name.' },
  { column: 'email', required: true, rule: 'A valid email address; each email once in the pool.' },
  { column: 'organisation', required: false, rule: 'Company or organisation.' },
  { column: 'job_title', required: false, rule: 'Job title.' },
  { column: 'expertise', required: false, rule: 'Tags separated by semicolons, for example: finance; strategy.' },
  { column: 'capacity', required: true, rule: `The most mentees at once, a whole number from ${CAPACITY_MIN} to ${CAPACITY_MAX}.` },
  { column: 'bio', required: false, rule: `Short bio, at most ${BIO_MAX} characters.` },
  { column: 'active', required: false, rule: 'yes or no; empty means yes.' }
]

interface ImportPage { csv: string, fieldError?: string, rows?: RowError[], status?: number }

/** Importing mentors from a pasted CSV or a file that a small script reads into the text box (no upload needed). */
export const importPageRoutes: FastifyPluginAsync<PoolApiOptions> = async (app, { requireRole, pools }) => {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const preHandler = requireRole('instructor')
  const schema = { hide: true }

  const render = async (reply: FastifyReply, auth: Auth, page: ImportPage) => {
    const failed = page.fieldError !== undefined || (page.rows?.length ?? 0) > 0
    return await reply.code(page.status ?? 200).view('pages/pool-import', {
      ...pageContext(auth, failed ? 'Error: Import mentors' : 'Import mentors', 'pool'),
      columns: COLUMN_HELP,
      maxRows: MAX_CSV_ROWS,
      ...page
    })
  }

  api.get('/instructor/pool/import', { schema, preHandler }, async (request, reply) => await render(reply, authOf(request), { csv: '' }))

  api.post('/instructor/pool/import', { schema: { ...schema, body: FormBody }, preHandler }, async (request, reply) => {
    const auth = authOf(request)
    const parsed = ImportForm.safeParse(request.body)
    const csv = typeof request.body.csv === 'string' ? request.body.csv : ''
    if (!parsed.success) return await render(reply, auth, { csv, fieldError: parsed.error.issues[0]?.message, status: 400 })
    const outcome = await pools.poolService.importCsv(poolCourseOf(auth), parsed.data.csv)
    if (!outcome.ok) return await render(reply, auth, { csv, rows: outcome.errors, status: 400 })
    return await redirectWithNotice(reply, auth, '/instructor/pool', 'imported', { n: String(outcome.imported) })
  })
}
