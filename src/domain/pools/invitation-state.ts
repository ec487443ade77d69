import type { Invitation } from './ports'

export type InvitationState = 'none' | 'pending' | 'used' | 'expired' | 'revoked'

export interface InvitationStatus { state: InvitationState, at: Date | null }

/** Where a mentor's latest invitation stands; `at` is when it was used or revoked, or when it expires. */
export function invitationStatusOf (invitation: Invitation | undefined, now = new Date()): InvitationStatus {
  if (!invitation) return { state: 'none', at: null }
  if (invitation.usedAt) return { state: 'used', at: invitation.usedAt }
  if (invitation.revokedAt) return { state: 'revoked', at: invitation.revokedAt }
  if (invitation.expiresAt <= now) return { state: 'expired', at: invitation.expiresAt }
  return { state: 'pending', at: invitation.expiresAt }
}
