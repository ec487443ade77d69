import type { Types } from 'mongoose'
import type { EmailSignInDeps, SignInLink, SignInTarget } from '../../domain/pools/email-sign-in'
import { retryWhenBusy } from '../busy'
import type { Models } from '../database'
import { toId, toObjectId } from '../ids'
import { claimOnce } from '../single-use'

type Deps = Pick<Models, 'signInLinks' | 'singleUseClaims' | 'mentors' | 'courses'>
interface CourseRow { _id: Types.ObjectId, title?: string, issuer: string, clientId: string, deploymentId: string, poolId?: Types.ObjectId }

/** Where external mentors' sign-in links, the mentors and courses they sign into, and the rate of asking are kept. */
export function createSignInRepository (m: Deps): Pick<EmailSignInDeps, 'targets' | 'target' | 'links' | 'attempt'> {
  const targetOf = (mentor: { _id: Types.ObjectId, poolId: Types.ObjectId, name: string, email: string }, course: CourseRow): SignInTarget => ({
    mentorId: toId(mentor._id), poolId: toId(mentor.poolId), name: mentor.name, email: mentor.email,
    course: { id: toId(course._id), title: course.title ?? '', issuer: course.issuer, clientId: course.clientId, deploymentId: course.deploymentId }
  })
  return {
    targets: async (email) => {
      const mentors = await m.mentors.find({ email, source: 'external', active: true }, { poolId: 1, name: 1, email: 1 }).lean()
      if (mentors.length === 0) return []
      const courses = await m.courses.find({ poolId: { $in: mentors.map((x) => x.poolId) } }, { title: 1, issuer: 1, clientId: 1, deploymentId: 1, poolId: 1 }).lean<CourseRow[]>()
      return courses.flatMap((course) => mentors.filter((x) => String(x.poolId) === String(course.poolId)).map((x) => targetOf(x, course)))
    },
    target: async (link: SignInLink) => {
      const [mentor, course] = await Promise.all([
        m.mentors.findById(link.mentorId, { poolId: 1, name: 1, email: 1, active: 1, source: 1 }).lean(),
        m.courses.findById(link.courseId, { title: 1, issuer: 1, clientId: 1, deploymentId: 1, poolId: 1 }).lean<CourseRow>()
      ])
      if (mentor?.active !== true || mentor.source !== 'external' || course === null || String(course.poolId) !== String(mentor.poolId)) return null
      return targetOf(mentor, course)
    },
    links: {
      create: async (tokenHash, link) => {
        await retryWhenBusy(async () => await m.signInLinks.create({ _id: tokenHash, ...link, mentorId: toObjectId(link.mentorId), poolId: toObjectId(link.poolId), courseId: toObjectId(link.courseId) }))
      },
      consume: async (tokenHash, at) => {
        const link = await m.signInLinks.findById(tokenHash).lean()
        if (link === null || link.expiresAt <= at) return null
        if (!await claimOnce(m, `sign-in-link:${tokenHash}`, link.expiresAt)) return null
        return { mentorId: toId(link.mentorId), poolId: toId(link.poolId), courseId: toId(link.courseId), expiresAt: link.expiresAt }
      }
    },
    // A unique insert per attempt (n of the window): the count holds across processes on both databases.
    attempt: async (key, limit, windowMs) => {
      const window = Math.floor(Date.now() / windowMs)
      const expiresAt = new Date((window + 1) * windowMs)
      for (let n = 1; n <= limit; n++) if (await claimOnce(m, `rate:${key}:${window}:${n}`, expiresAt)) return true
      return false
    }
  }
}
