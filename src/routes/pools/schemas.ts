import { z } from 'zod'
import type { MentorView } from '../../domain/pools/pool-service'
import { objectIdString } from '../../http/schemas'

export const UserIdParams = z.object({ userId: objectIdString })

export const InvitationJson = z.object({
  state: z.enum(['none', 'pending', 'used', 'expired', 'revoked']),
  at: z.string().nullable().describe('When the link was used or revoked, or when it expires')
})

export const MentorJson = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  organisation: z.string(),
  jobTitle: z.string(),
  expertise: z.array(z.string()),
  capacity: z.number().int(),
  bio: z.string(),
  availability: z.string().describe('When the mentor is usually free to meet, in their words'),
  active: z.boolean(),
  source: z.enum(['lms', 'external']),
  userId: z.string().nullable().describe('The LMS user, or the tool-local user of an external mentor who has signed in'),
  invitation: InvitationJson.nullable().describe('Latest invitation link; null for mentors who sign in through the LMS')
})
export type MentorJson = z.infer<typeof MentorJson>

export function toMentorJson (m: MentorView): MentorJson {
  const invitation = m.source === 'external' ? { state: m.invitation.state, at: m.invitation.at?.toISOString() ?? null } : null
  return {
    id: m.id,
    name: m.name,
    email: m.email,
    organisation: m.organisation,
    jobTitle: m.jobTitle,
    expertise: m.expertise,
    capacity: m.capacity,
    bio: m.bio,
    availability: m.availability ?? '',
    active: m.active,
    source: m.source,
    userId: m.userId ? String(m.userId) : null,
    invitation
  }
}
