import type { Types } from 'mongoose'
import type { Models } from '../database'
import { claimOnce } from '../single-use'
import type { MentorInvitationDoc } from '../models/mentor-invitation.model'
import type { Tenant } from './tenancy.repository'

export type MentorInvitation = MentorInvitationDoc & { _id: Types.ObjectId, createdAt: Date }
type NewInvitation = Pick<MentorInvitationDoc, 'tokenHash' | 'poolId' | 'mentorId' | 'courseId' | 'createdBy' | 'expiresAt'>

/** Users the tool itself creates, for external mentors who have no LMS account; never an LMS issuer. */
export const EXTERNAL_ISSUER = 'mentorlink:external'

/** Invitation links for external mentors, and the tool-local users and sessions they lead to. */
export function createMentorInvitationRepository (models: Pick<Models, 'mentorInvitations' | 'singleUseClaims' | 'users' | 'sessions'>) {
  const { mentorInvitations, users, sessions } = models
  const open = (at: Date) => ({ usedAt: null, revokedAt: null, expiresAt: { $gt: at } })
  return {
    /** Revokes every unused link of the mentor (on re-issue, revoke and deactivation). */
    revokeOpen: async (mentorId: Types.ObjectId, at: Date): Promise<number> =>
      (await mentorInvitations.updateMany({ mentorId, usedAt: null, revokedAt: null }, { $set: { revokedAt: at } })).modifiedCount,
    create: async (invitation: NewInvitation): Promise<MentorInvitation> =>
      (await mentorInvitations.create(invitation)).toObject() as MentorInvitation,
    /**
     * Marks the link used in the same write that checks it is usable, and claims it once (see single-use.ts), so
     * two clicks cannot both sign in on either backend.
     */
    consume: async (tokenHash: string, at: Date): Promise<MentorInvitation | null> => {
      const invitation = await mentorInvitations.findOneAndUpdate({ tokenHash, ...open(at) }, { $set: { usedAt: at } }, { new: true }).lean()
      if (!invitation) return null
      return await claimOnce(models, `invitation:${String(invitation._id)}`, invitation.expiresAt) ? invitation : null
    },
    findByHash: async (tokenHash: string): Promise<MentorInvitation | null> => await mentorInvitations.findOne({ tokenHash }).lean(),
    latestOf: async (mentorIds: Types.ObjectId[]): Promise<Map<string, MentorInvitation>> => {
      const all = await mentorInvitations.find({ mentorId: { $in: mentorIds } }).sort({ createdAt: -1, _id: -1 }).lean()
      const latest = new Map<string, MentorInvitation>()
      for (const inv of all) if (!latest.has(String(inv.mentorId))) latest.set(String(inv.mentorId), inv)
      return latest
    },
    upsertExternalUser: async (tenant: Tenant, mentorId: Types.ObjectId, profile: { name: string, email: string }) =>
      await users.findOneAndUpdate(
        { issuer: EXTERNAL_ISSUER, clientId: tenant.clientId, deploymentId: tenant.deploymentId, sub: `mentor:${String(mentorId)}` },
        { $set: { name: profile.name, email: profile.email } },
        { upsert: true, new: true, setDefaultsOnInsert: true }
      ).lean(),
    endSessionsOf: async (userId: Types.ObjectId): Promise<void> => { await sessions.deleteMany({ userId }) }
  }
}

export type MentorInvitationRepository = ReturnType<typeof createMentorInvitationRepository>
