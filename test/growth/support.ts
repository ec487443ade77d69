import { Types } from 'mongoose'
import { createSessionService } from '../../src/auth/session-service'
import { launchAs } from '../helpers/lms'
import { day, TERM, type Person, type World } from '../activities/support'
import { callApi } from '../helpers/http'

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

export interface Cohort { instructor: Person, mentor: Person, students: Person[] }

/**
 * Course D: course A's instructor and mentor M1 with six students, all paired with M1, its points open (kick-off
 * 20 days ago, mid-term 5 days ago, final in 5 days). People are added as `dInstructor`, `dMentor`, `d1`…`d6`.
 */
export async function addCohort (world: World, size = 6): Promise<Cohort> {
  const students = Array.from({ length: size }, (_, i) => `d${i + 1}`)
  for (const s of students) world.sim.addUser({ id: s, name: `Dana ${s.toUpperCase()}`, givenName: 'Dana', familyName: s.toUpperCase(), email: `${s}@example.edu` })
  world.sim.addCourse({
    id: 'course-d', label: 'D', title: 'Course D', custom: { term_start: TERM.start, term_end: TERM.end },
    members: [
      { userId: 'instructor', roles: ['Instructor'], status: 'Active' }, { userId: 'm1', roles: ['Mentor'], status: 'Active' },
      ...students.map((s) => ({ userId: s, roles: ['Learner' as const], status: 'Active' as const }))
    ]
  })
  const people: Record<string, Person> = {}
  for (const key of [...students, 'm1', 'instructor']) {
    const result = await launchAs(world.sim, { ...tool, courseId: 'course-d', userId: key })
    if (!result.sessionToken) throw new Error(`launch of ${key} failed: ${result.launch.status}`)
    const user = await world.app.db.models.users.findOne({ sub: key }).lean()
    const course = await world.app.db.models.courses.findOne({ contextId: 'course-d' }).lean()
    const as = key === 'm1' ? 'dMentor' : key === 'instructor' ? 'dInstructor' : key
    people[as] = { key: as, name: String(user?.name), token: result.sessionToken, userId: String(user?._id), courseId: String(course?._id) }
  }
  Object.assign(world.people, people)
  const instructor = people.dInstructor as Person
  const courseId = new Types.ObjectId(instructor.courseId)
  const pool = await world.app.db.models.pools.create({ ...tool, issuer: world.sim.issuer, name: 'D', ownerCourseId: courseId })
  await world.app.db.models.courses.updateOne({ _id: courseId }, { $set: { poolId: pool._id } })
  const mentor = await world.app.db.models.mentors.create({ poolId: pool._id, name: 'Daniel Reyes', email: 'm1@example.edu', capacity: 10, source: 'lms', userId: new Types.ObjectId(people.dMentor?.userId) })
  for (const s of students) {
    await world.app.db.models.pairings.create({ courseId, studentUserId: new Types.ObjectId(people[s]?.userId), mentorId: mentor._id, status: 'active', source: 'run', publishedAt: new Date() })
  }
  await world.app.events.publish({ type: 'PairingPublished', courseId: instructor.courseId, runId: 'fixture', studentUserIds: students.map((s) => people[s]?.userId ?? '') })
  await world.app.settled()
  const milestones = [{ title: 'Kick-off', date: day(-20) }, { title: 'Mid-term review', date: day(-5) }, { title: 'Final presentations', date: day(5) }]
  const term = await callApi(world.app.config.publicUrl, instructor.token, 'PUT', '/api/v1/term', { milestones })
  if (term.status !== 200) throw new Error(`term: ${term.status} ${JSON.stringify(term.body)}`)
  return { instructor, mentor: people.dMentor as Person, students: students.map((s) => people[s] as Person) }
}
