import { Types } from 'mongoose'
import { createSessionService } from '../../src/auth/session-service'
import { launchAs } from '../helpers/lms'
import type { Person, World } from '../activities/support'

const tool = { clientId: 'client-1', deploymentId: 'deploy-1' }

/**
 * An external mentor (no LMS account; signed in by email in real life) who takes over `studentKey` in course A:
 * added to the world as `ext`, with a session as the email sign-in would make it.
 */
export async function addExternalMentor (world: World, studentKey: string): Promise<Person> {
  const { models } = world.app.db
  const student = world.people[studentKey] as Person
  const course = await models.courses.findById(student.courseId).lean()
  const user = await models.users.create({ issuer: 'mentorlink:external', clientId: tool.clientId, deploymentId: tool.deploymentId, sub: `mentor:ext-${studentKey}`, name: 'Erika External', email: 'erika@example.com' })
  const mentor = await models.mentors.create({ poolId: course?.poolId, name: 'Erika External', email: 'erika@example.com', capacity: 2, source: 'external', userId: user._id })
  await models.pairings.updateOne({ courseId: new Types.ObjectId(student.courseId), studentUserId: new Types.ObjectId(student.userId) }, { $set: { mentorId: mentor._id } })
  const sessions = createSessionService(models, { secret: world.app.config.sessionSecret, ttlSeconds: 3600 })
  const token = await sessions.create(user._id, student.courseId, 'mentor')
  const ext = { key: 'ext', name: 'Erika External', token, userId: String(user._id), courseId: student.courseId }
  world.people.ext = ext
  return ext
}

/** A third course taught by course A's instructor (same LMS): added as `instructorC`, the instructor's session there. */
export async function addSecondCourse (world: World): Promise<Person> {
  world.sim.addCourse({ id: 'course-c', label: 'C', title: 'Course C', members: [{ userId: 'instructor', roles: ['Instructor'], status: 'Active' }] })
  const result = await launchAs(world.sim, { ...tool, courseId: 'course-c', userId: 'instructor' })
  if (!result.sessionToken) throw new Error(`launch failed: ${result.launch.status}`)
  const course = await world.app.db.models.courses.findOne({ contextId: 'course-c' }).lean()
  const person = { key: 'instructorC', name: 'Amara Okafor', token: result.sessionToken, userId: world.people.instructor?.userId ?? '', courseId: String(course?._id) }
  world.people.instructorC = person
  await world.app.settled()
  return person
}

/** Ratings of every competency of a framework at one level (or per key). */
export const ratingsFor = (keys: readonly string[], level: number | Record<string, number> = 3) =>
  keys.map((competency) => ({ competency, level: typeof level === 'number' ? level : level[competency] ?? 3, comment: '' }))
