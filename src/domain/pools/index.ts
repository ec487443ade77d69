import type { SessionService } from '../../auth/session-service'
import type { Models } from '../../persistence/database'
import { createMentorInvitationRepository } from '../../persistence/repositories/mentor-invitation.repository'
import { createMentorRepository } from '../../persistence/repositories/mentor.repository'
import { createPoolRepository } from '../../persistence/repositories/pool.repository'
import type { TenancyRepository } from '../../persistence/repositories/tenancy.repository'
import { createInvitations } from './invitations'
import { createLmsSuggestions } from './lms-suggestions'
import { createPoolService, type PoolServiceDeps } from './pool-service'
import { createPoolSharing } from './pool-sharing'

export interface PoolsOptions {
  models: Models
  tenancy: TenancyRepository
  sessions: SessionService
  publicUrl: string
  invitationTtlDays: number
  onMentorDeactivated?: PoolServiceDeps['onDeactivated']
}

/** Everything about mentor pools, built once in the composition root. */
export function createPools ({ models, tenancy, sessions, publicUrl, invitationTtlDays, onMentorDeactivated }: PoolsOptions) {
  const pools = createPoolRepository(models)
  const mentors = createMentorRepository(models)
  const invitationRepo = createMentorInvitationRepository(models)
  const poolService = createPoolService({ pools, mentors, invitations: invitationRepo, onDeactivated: onMentorDeactivated })
  return {
    poolService,
    suggestions: createLmsSuggestions({ pools, mentors, poolService }),
    sharing: createPoolSharing({ pools, mentors, poolService }),
    invitations: createInvitations({ invitations: invitationRepo, mentors, tenancy, sessions, poolService, publicUrl, ttlDays: invitationTtlDays })
  }
}

export type Pools = ReturnType<typeof createPools>
