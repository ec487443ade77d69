import { createHash, randomBytes } from 'node:crypto'
import { AppError, Errors } from '../../errors'
import { sameId, type Id } from '../ids'
import { invitationStatusOf } from './invitation-state'
import type { PoolService } from './pool-service'
import type { Invitation, InvitationRepository, MentorRepository, PoolCourse, PoolCourseLookup, SessionIssuer } from './ports'

/** Sends an invitation link by email (through the mail outbox). */
export interface InvitationMailer {
  send: (invite: { courseId: Id, courseTitle: string, name: string, email: string, url: string, expiresAt: Date }) => Promise<void>
}

export interface InvitationDeps {
  /** Absent when email is off: links are then only copied or written into an email by the instructor. */
  mailer?: InvitationMailer
  invitations: InvitationRepository
  mentors: MentorRepository
  tenancy: PoolCourseLookup
  sessions: SessionIssuer
  poolService: PoolService
  publicUrl: string
  ttlDays: number
}

export const INVITE_PATH = '/mentor-invite'
/** An external mentor who never had a link and never signed in by email. */
export const neverInvited = (m: { source: string, userId?: Id | null, invitation: { state: string } }): boolean =>
  m.source === 'external' && m.invitation.state === 'none' && !m.userId
const hashOf = (token: string): string => createHash('sha256').update(token).digest('hex')
const ASK = 'Ask your instructor for a new link.'

/** Why a link cannot be used, in words for its holder; an unknown token says nothing about other invitations. */
function refusal (invitation: Invitation | null): AppError {
  const { state } = invitationStatusOf(invitation ?? undefined)
  if (state === 'used') return new AppError('INVITATION_USED', 410, `This invitation link has already been used. ${ASK}`)
  if (state === 'revoked') return new AppError('INVITATION_REVOKED', 410, `This invitation link was withdrawn. ${ASK}`)
  if (state === 'expired') return new AppError('INVITATION_EXPIRED', 410, `This invitation link has expired. ${ASK}`)
  return new AppError('INVITATION_UNKNOWN', 404, `This invitation link is not valid. Check that you copied all of it, or ${ASK.toLowerCase()}`)
}

/**
 * Single-use sign-in links for external mentors. The token is shown once to the instructor and kept only as its
 * SHA-256; issuing a new link revokes the old one. Using it signs the holder in as a mentor of that course only.
 */
export function createInvitations (deps: InvitationDeps) {
  const mentorOfCourse = async (course: PoolCourse, mentorId: Id) => {
    const mentor = await deps.poolService.get(course, mentorId)
    if (mentor.source !== 'external') throw Errors.conflict(`${mentor.name} signs in through the LMS; invitation links are for external mentors`)
    return mentor
  }
  /** The mentor and course an invitation signs into, if both still are as when it was issued. */
  const targetOf = async (invitation: Invitation) => {
    const [mentor, course] = await Promise.all([
      deps.mentors.find(invitation.poolId, invitation.mentorId), deps.tenancy.poolCourse(invitation.courseId)
    ])
    if (!mentor?.active || course?.poolId == null || !sameId(course.poolId, invitation.poolId)) throw new AppError('INVITATION_INVALID', 410, `This invitation is no longer valid. ${ASK}`)
    return { mentor, course }
  }

  const issue = async (course: PoolCourse, mentorId: Id, createdBy: Id) => {
    const mentor = await mentorOfCourse(course, mentorId)
    if (!mentor.active) throw Errors.conflict(`Reactivate ${mentor.name} before inviting them`)
    const token = randomBytes(32).toString('base64url')
    const now = new Date()
    await deps.invitations.revokeOpen(mentor.id, now)
    const invitation = await deps.invitations.create({
      tokenHash: hashOf(token), poolId: mentor.poolId, mentorId: mentor.id, courseId: course.id, createdBy,
      expiresAt: new Date(now.getTime() + deps.ttlDays * 24 * 3600 * 1000)
    })
    return { mentor, url: `${deps.publicUrl}${INVITE_PATH}?token=${token}`, expiresAt: invitation.expiresAt }
  }
  const emailed = async (course: PoolCourse, mentorId: Id, createdBy: Id, mailer: InvitationMailer) => {
    const { mentor, url, expiresAt } = await issue(course, mentorId, createdBy)
    await mailer.send({ courseId: course.id, courseTitle: course.title, name: mentor.name, email: mentor.email, url, expiresAt })
    return mentor
  }
  const mailerOrRefuse = (): InvitationMailer => {
    if (deps.mailer === undefined) throw Errors.conflict('Mentorlink sends no email here (ask your administrator): copy the link instead')
    return deps.mailer
  }

  return {
    /** Whether invitations can be emailed (email is on). */
    emails: deps.mailer !== undefined,
    issue,
    /** Issues a link and emails it to the mentor. */
    email: async (course: PoolCourse, mentorId: Id, createdBy: Id) => await emailed(course, mentorId, createdBy, mailerOrRefuse()),
    /** Emails a link to every active external mentor of the pool who was never invited; how many. */
    emailAllNotInvited: async (course: PoolCourse, createdBy: Id): Promise<number> => {
      const mailer = mailerOrRefuse()
      const waiting = (await deps.poolService.list(course, { active: true })).filter(neverInvited)
      for (const mentor of waiting) await emailed(course, mentor.id, createdBy, mailer)
      return waiting.length
    },
    revoke: async (course: PoolCourse, mentorId: Id) => {
      const mentor = await mentorOfCourse(course, mentorId)
      if (await deps.invitations.revokeOpen(mentor.id, new Date()) === 0) throw Errors.conflict(`${mentor.name} has no open invitation to revoke`)
      return mentor
    },
    /** For the confirmation page: who the link is for, without using it up. */
    inspect: async (token: string) => {
      const invitation = await deps.invitations.findByHash(hashOf(token))
      if (invitationStatusOf(invitation ?? undefined).state !== 'pending') throw refusal(invitation)
      return await targetOf(invitation as Invitation)
    },
    /** Uses the link up and returns a mentor session token for the invitation's course. */
    consume: async (token: string): Promise<string> => {
      const hash = hashOf(token)
      const invitation = await deps.invitations.consume(hash, new Date())
      if (!invitation) throw refusal(await deps.invitations.findByHash(hash))
      const { mentor, course } = await targetOf(invitation)
      const userId = await deps.invitations.upsertExternalUser(course, mentor.id, { name: mentor.name, email: mentor.email })
      if (!mentor.userId) await deps.mentors.update(mentor.poolId, mentor.id, { userId })
      return await deps.sessions.create(userId, course.id, 'mentor')
    }
  }
}

export type Invitations = ReturnType<typeof createInvitations>
