import { z } from 'zod'
import type { MentorView } from '../../domain/pools/pool-service'
import { objectIdString } from '../../http/schemas'

export const MentorIdParams = z.object({ id: objectIdString })

const FieldProblem = z.object({ field: z.string(), message: z.string() })
export const RowProblem = z.object({ line: z.number().int(), field: z.string(), message: z.string() })

/** The error body of every 4xx answer (see src/http/error-handler.ts); CSV imports add the bad rows. */
export const ErrorBody = z.object({
  statusCode: z.number().int(),
  error: z.string(),
  message: z.string(),
  fields: z.array(FieldProblem).optional(),
  rows: z.array(RowProblem).optional()
})
export const errorResponses = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody } as const

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
  active: z.boolean(),
  source: z.enum(['lms', 'external']),
  userId: z.string().nullable().describe('The LMS user, or the tool-local user of an external mentor who has signed in'),
  invitation: InvitationJson.nullable().describe('Latest invitation link; null for mentors who sign in through the LMS')
})
export type MentorJson = z.infer<typeof MentorJson>

export function toMentorJson (m: MentorView): MentorJson {
  const invitation = m.source === 'external' ? { state: m.invitation.state, at: m.invitation.at?.toISOString() ?? null } : null
  return {
    id: String(m._id),
    name: m.name,
    email: m.email,
    organisation: m.organisation,
    jobTitle: m.jobTitle,
    expertise: m.expertise,
    capacity: m.capacity,
    bio: m.bio,
    active: m.active,
    source: m.source,
    userId: m.userId ? String(m.userId) : null,
    invitation
  }
}
