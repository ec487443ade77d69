import { z } from 'zod'
import type { FormBody } from '../../http/forms'

const NOTICES = {
  added: 'Mentor added to the pool.',
  updated: 'Mentor details saved.',
  deactivated: 'Mentor deactivated. They can no longer sign in, and any open invitation link was withdrawn.',
  reactivated: 'Mentor reactivated.',
  accepted: 'Mentor added from your LMS. Check their capacity and expertise below.',
  dismissed: 'Suggestion dismissed. It will not be offered again.',
  attached: 'This course now uses the pool you chose.',
  revoked: 'Invitation link withdrawn. It can no longer be used.',
  imported: 'mentors imported from the CSV file.'
} as const
export type Notice = keyof typeof NOTICES

export const PageQuery = z.object({
  session: z.string().optional(),
  notice: z.enum(Object.keys(NOTICES) as [Notice, ...Notice[]]).optional().catch(undefined),
  n: z.coerce.number().int().min(0).optional().catch(undefined)
})

export const noticeText = ({ notice, n }: z.infer<typeof PageQuery>): string | undefined =>
  notice === undefined ? undefined : notice === 'imported' ? `${n ?? 0} ${NOTICES.imported}` : NOTICES[notice]

/** The string values a form posted (repeated or unexpected shapes are dropped), to check and to show back. */
export const textValues = (body: FormBody): Record<string, string> =>
  Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== 'session'))
