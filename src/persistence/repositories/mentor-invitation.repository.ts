import type { Types } from 'mongoose'
import type { Id } from '../../domain/ids'
import type { Invitation, InvitationRepository, NewInvitation, Tenant } from '../../domain/pools/ports'
import type { Models } from '../database'
import { toId, toObjectId } from '../ids'
import { upsertByDerivedId, userIdOf } from '../natural-ids'
import { retryWhenBusy } from '../busy'
import { claimOnce } from '../single-use'
import type { MentorInvitationDoc } from '../models/mentor-invitation.model'

type StoredInvitation = MentorInvitationDoc & { _id: Types.ObjectId, createdAt: Date }

/** Users the tool itself creates, for external mentors who have no LMS account; never an LMS issuer. */
export const EXTERNAL_ISSUER = 'mentorlink:external'

const toInvitation = (i: StoredInvitation): Invitation => ({
  id: toId(i._id), tokenHash: i.tokenHash, poolId: toId(i.poolId), mentorId: toId(i.mentorId), courseId: toId(i.courseId),
  createdBy: toId(i.createdBy), expiresAt: i.expiresAt, usedAt: i.usedAt ?? null, revokedAt: i.revokedAt ?? null, createdAt: i.createdAt
})

/** Invitation links for external mentors, and the tool-local users and sessions they lead to. */
export function createMentorInvitationRepository (models: Pick<Models, 'mentorInvitations' | 'singleUseClaims' | 'users' | 'sessions'>): InvitationRepository {
  const { mentorInvitations, users, sessions } = models
  const open = (at: Date) => ({ usedAt: null, revokedAt: null, expiresAt: { $gt: at } })
  return {
    revokeOpen: async (mentorId: Id, at: Date): Promise<number> =>
      (await mentorInvitations.updateMany({ mentorId: toObjectId(mentorId), usedAt: null, revokedAt: null }, { $set: { revokedAt: at } })).modifiedCount,
    create: async ({ poolId, mentorId, courseId, createdBy, ...rest }: NewInvitation): Promise<Invitation> =>
      toInvitation((await mentorInvitations.create({
        ...rest, poolId: toObjectId(poolId), mentorId: toObjectId(mentorId), courseId: toObjectId(courseId), createdBy: toObjectId(createdBy)
      })).toObject() as StoredInvitation),
    /**
     * Marks the link used in the same write that checks it is usable, and claims it once (see single-use.ts), so
     * two clicks cannot both sign in on either backend.
     */
    consume: async (tokenHash: string, at: Date): Promise<Invitation | null> => {
      const invitation = await mentorInvitations.findOneAndUpdate({ tokenHash, ...open(at) }, { $set: { usedAt: at } }, { new: true }).lean()
      if (!invitation) return null
      return await claimOnce(models, `invitation:${String(invitation._id)}`, invitation.expiresAt) ? toInvitation(invitation) : null
    },
    findByHash: async (tokenHash: string): Promise<Invitation | null> => {
      const found = await mentorInvitations.findOne({ tokenHash }).lean()
      return found ? toInvitation(found) : null
    },
    latestOf: async (mentorIds: Id[]): Promise<Map<Id, Invitation>> => {
      const all = await mentorInvitations.find({ mentorId: { $in: mentorIds.map(toObjectId) } }).sort({ createdAt: -1, _id: -1 }).lean()
      const latest = new Map<Id, Invitation>()
      for (const inv of all) if (!latest.has(toId(inv.mentorId))) latest.set(toId(inv.mentorId), toInvitation(inv))
      return latest
    },
    upsertExternalUser: async (tenant: Tenant, mentorId: Id, profile: { name: string, email: string }): Promise<Id> => {
      const natural = { issuer: EXTERNAL_ISSUER, clientId: tenant.clientId, deploymentId: tenant.deploymentId, sub: `mentor:${mentorId}` }
      const id = userIdOf(natural, natural.sub)
      const user = await upsertByDerivedId<{ _id: Types.ObjectId }>(users, id, natural, { name: profile.name, email: profile.email }, true)
      return toId(user?._id ?? id)
    },
    // Ended as auth/session-service.ts ends one (its generation counted up), not deleted: a session document made
    // again by a later sign-in would bring the old tokens back.
    endSessionsOf: async (userId: Id): Promise<void> => { await retryWhenBusy(async () => await sessions.updateMany({ userId: toObjectId(userId) }, { $inc: { generation: 1 } })) }
  }
}
