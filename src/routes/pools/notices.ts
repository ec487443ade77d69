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
  emailed: 'Invitation emailed. The mentor signs in with its link, and later with their email address.',
  invited: (n: number) => n === 0 ? 'Every active external mentor was invited already: nobody was emailed.' : `${n} invitations emailed to the external mentors not invited before.`,
  imported: (n: number) => `${n} mentors imported from the CSV file.`
}

export const PageQuery = noticeQuery(NOTICES)
export const poolNotice = (query: z.infer<typeof PageQuery>): string | undefined => noticeText(NOTICES, query)
