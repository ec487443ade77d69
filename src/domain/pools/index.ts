import { createMentorPhotos, type MentorPhotoStore } from './mentor-photos'
import type { EventPublisher } from '../events/domain-events'
import { createInvitations, type InvitationMailer } from './invitations'
import { createLmsSuggestions } from './lms-suggestions'
import { createPoolService } from './pool-service'
import { createPoolSharing } from './pool-sharing'
import type { InvitationRepository, MentorRepository, PoolCourseLookup, PoolRepository, SessionIssuer } from './ports'

export interface PoolsDeps {
  pools: PoolRepository
  mentors: MentorRepository
  invitations: InvitationRepository
  tenancy: PoolCourseLookup
  sessions: SessionIssuer
  events: EventPublisher
  publicUrl: string
  /** How long an invitation link stays usable. */
  ttlDays: number
  photos: MentorPhotoStore
  /** Emails invitations; absent when email is off. */
  mailer?: InvitationMailer
}

/** Everything about mentor pools, over the repositories and ports the composition root gives it. */
export function createPools ({ pools, mentors, invitations, tenancy, sessions, events, publicUrl, ttlDays, photos, mailer }: PoolsDeps) {
  const poolService = createPoolService({ pools, mentors, invitations, events })
  return {
    poolService,
    photos: createMentorPhotos({ photos, ownEntry: poolService.ownEntry, mentorInPool: mentors.find }),
    suggestions: createLmsSuggestions({ pools, mentors, poolService }),
    sharing: createPoolSharing({ pools, mentors, poolService }),
    invitations: createInvitations({ invitations, mentors, tenancy, sessions, poolService, publicUrl, ttlDays, ...(mailer ? { mailer } : {}) })
  }
}

export type Pools = ReturnType<typeof createPools>
