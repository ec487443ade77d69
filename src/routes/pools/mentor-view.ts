import { joinTags } from '../../domain/pools/mentor-fields'
import type { MentorView } from '../../domain/pools/pool-service'
import { dayLabel } from '../../http/date-labels'

const INVITATION_LABELS = {
  none: () => 'Not invited yet',
  pending: (at: string) => `Link issued, usable until ${at}`,
  used: (at: string) => `Link used on ${at}`,
  expired: (at: string) => `Link expired on ${at}`,
  revoked: (at: string) => `Link withdrawn on ${at}`
} as const

/** Where the mentor's sign-in stands, in words: LMS mentors sign in through the LMS, external ones by link. */
export function invitationLabel (m: MentorView): string {
  if (m.source === 'lms') return 'Signs in through the LMS'
  if (m.invitation.state === 'none' && m.userId) return 'Has signed in by email'
  return INVITATION_LABELS[m.invitation.state](m.invitation.at ? dayLabel(m.invitation.at) : '')
}

/** One row of the pool table. */
export const mentorRow = (m: MentorView) => ({
  id: m.id,
  editHref: `/instructor/pool/mentors/${m.id}/edit`,
  name: m.name,
  email: m.email,
  organisation: m.organisation,
  expertise: joinTags(m.expertise),
  capacity: m.capacity,
  active: m.active,
  sourceLabel: m.source === 'lms' ? 'LMS' : 'External',
  invitationLabel: invitationLabel(m)
})
