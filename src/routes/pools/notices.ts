import { z } from 'zod'
import { noticeQuery, noticeText } from '../../http/forms'

const NOTICES = {
  added: 'Mentor added to the pool.',
  updated: 'Mentor details saved.',
  deactivated: 'Mentor deactivated. They can no longer sign in, and any open invitation link was withdrawn.',
  reactivated: 'Mentor reactivated.',
  accepted: 'Mentor added from your LMS. Check their capacity and expertise below.',
  dismissed: 'Suggestion dismissed. It will not be offered again.',
  attached: 'This course now uses the pool you chose.',
  revoked: 'Invitation link withdrawn. It can no longer be used.',
  imported: (n: number) => `${n} mentors imported from the CSV file.`
}

export const PageQuery = noticeQuery(NOTICES)
export const poolNotice = (query: z.infer<typeof PageQuery>): string | undefined => noticeText(NOTICES, query)
