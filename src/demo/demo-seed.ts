import type { Simulator } from '@mentorlink/simulator'
import { MentorCreate, MentorPatch } from '../domain/pools/mentor-fields'
import type { Mentor } from '../domain/pools/ports'
import { LaunchClaims } from '../lti/claims'
import { launchContextFrom } from '../lti/launch-context'
import type { Services } from '../services'
import { DEMO_CLIENT_ID, DEMO_COURSE, DEMO_DEPLOYMENT_ID, DEMO_INSTRUCTOR_ID, DEMO_USERS } from './demo-course'
import { DEMO_EXTERNAL_MENTORS, DEMO_INTAKES, DEMO_LMS_MENTOR_PROFILES } from './demo-seed-data'

/** What seeding writes through: the services a launch, a roster sync, the pool pages and the intake form use. */
export type DemoSeedServices = Pick<Services, 'config' | 'tenancy' | 'roster' | 'rosterSync' | 'pools' | 'pairingStore'>
/** The demo LMS: who it is, and what a launch from it would say. */
export type DemoLms = Pick<Simulator, 'issuer' | 'launchClaims'>

export type DemoSeedOutcome =
  /** DEMO_STATE=empty: nothing was written; the instructor's first launch creates the course. */
  | { state: 'empty' }
  /** The course's pool already had mentors (seeded before, or built by hand): nothing was changed. */
  | { state: 'kept', courseId: string, mentors: number }
  | { state: 'seeded', courseId: string, students: number, lmsMentors: number, externalMentors: number, intakes: number }

const emailOf = (lmsUserId: string): string | undefined => DEMO_USERS.find((u) => u.id === lmsUserId)?.email.toLowerCase()

/**
 * Seeds the demo course so the instructor's first launch can run a pairing: the course as the instructor's launch
 * would write it, its roster synced from the LMS, a mentor pool (the LMS mentors, accepted and given a profile, and
 * external business people) and most students' intakes. Only through the services the app itself uses; the pairing
 * is neither run nor published. Idempotent: a course whose pool has mentors is left as it is.
 *
 * The roster sync asks the LMS for a service token, and the LMS checks the tool's keys at its public URL: call this
 * once the app listens.
 */
export async function seedDemoCourse (services: DemoSeedServices, lms: DemoLms): Promise<DemoSeedOutcome> {
  if (services.config.demoState === 'empty') return { state: 'empty' }
  const { tenancy, roster, rosterSync, pairingStore, pools: { poolService, suggestions } } = services

  const claims = LaunchClaims.parse(lms.launchClaims({ clientId: DEMO_CLIENT_ID, deploymentId: DEMO_DEPLOYMENT_ID, courseId: DEMO_COURSE.id, userId: DEMO_INSTRUCTOR_ID }))
  const launch = launchContextFrom(claims, lms.issuer, DEMO_CLIENT_ID)
  const stored = await tenancy.upsertCourse(launch.tenant, launch.course, new Date())
  const courseId = String(stored._id)
  const course = await tenancy.poolCourse(courseId)
  if (!course) throw new Error('the demo course was written but cannot be read back')
  if (course.poolId !== null) {
    const mentors = await poolService.list(course)
    if (mentors.length > 0) return { state: 'kept', courseId, mentors: mentors.length }
  }

  await rosterSync.sync(courseId, 'manual')
  const members = (await roster.listMembers(stored._id)).filter((m) => m.status === 'active')
  const memberByEmail = new Map(members.map((m) => [m.email.toLowerCase(), m]))

  // The LMS mentors, as the instructor accepts them from the pool's suggestions, then completes their profiles.
  let lmsMentors = 0
  for (const suggestion of await suggestions.list(course)) {
    const lmsUserId = DEMO_USERS.find((u) => u.email.toLowerCase() === suggestion.email.toLowerCase())?.id
    const profile = lmsUserId === undefined ? undefined : DEMO_LMS_MENTOR_PROFILES[lmsUserId]
    if (!profile) continue
    const accepted = await suggestions.accept(course, suggestion.userId)
    await poolService.update(course, accepted.id, MentorPatch.parse(profile))
    lmsMentors += 1
  }

  let externalMentors = 0
  const inPool = new Set((await poolService.list(course)).map((m) => m.email))
  for (const mentor of DEMO_EXTERNAL_MENTORS) {
    if (inPool.has(mentor.email)) continue
    await poolService.add(course, MentorCreate.parse(mentor))
    externalMentors += 1
  }

  // Intakes, saved as the student's intake form saves them; a student who already has one keeps it.
  const pool = await poolService.list(course)
  const mentorByEmail = new Map<string, Mentor>(pool.map((m) => [m.email, m]))
  const rankingOf = (refs: readonly string[]): string[] =>
    refs.flatMap((ref) => { const mentor = mentorByEmail.get(emailOf(ref) ?? ref); return mentor?.active === true ? [mentor.id] : [] })
  let intakes = 0
  for (const [lmsUserId, intake] of Object.entries(DEMO_INTAKES)) {
    const email = emailOf(lmsUserId)
    const student = email === undefined ? undefined : memberByEmail.get(email)
    if (student?.role !== 'student') continue
    const studentId = String(student.userId)
    if (await pairingStore.intakeOf(courseId, studentId) !== null) continue
    await pairingStore.saveIntake(courseId, studentId, {
      interests: [...intake.interests], organisation: intake.organisation, shortTermGoal: intake.shortTermGoal, longTermGoal: intake.longTermGoal,
      ranking: rankingOf(intake.ranking)
    })
    intakes += 1
  }

  return { state: 'seeded', courseId, students: members.filter((m) => m.role === 'student').length, lmsMentors, externalMentors, intakes }
}

/** One line for the demo banner; `dataDir` when the demo runs on the embedded database. */
export function describeDemoSeed (outcome: DemoSeedOutcome, dataDir?: string): string {
  switch (outcome.state) {
    case 'empty':
      return 'The demo course starts blank (DEMO_STATE=empty): launch as the instructor, then sync the roster and build the pool.'
    case 'kept':
      return `The demo course keeps the data of an earlier run (${outcome.mentors} mentors in the pool).` +
        (dataDir === undefined ? '' : ` To start afresh, stop the demo and delete ${dataDir}.`)
    case 'seeded':
      return `The demo course is ready to pair: ${outcome.students} students (${outcome.intakes} intakes filled), ` +
        `${outcome.lmsMentors + outcome.externalMentors} mentors in the pool. Launch as the instructor and open Pairing.`
  }
}
