import type { PairingInput, PairingMentor, PairingStudent, StudentMentorPair } from '../../../../src/domain/pairing'
import { randomInt, shuffle } from './random-lists'

const TAGS = ['Leadership', 'finance', 'public speaking', 'négociation', 'strategy', 'data', 'marketing', 'ops']
const ORGS = ['Acme', 'Globex', 'Initech']

export interface InputShape {
  students: number
  mentors: number
  maxCapacity: number
}

const pick = <T>(random: () => number, items: readonly T[], count: number): T[] => shuffle(random, [...items]).slice(0, count)
const maybe = (random: () => number, p: number): boolean => random() < p

/** A random course with every kind of constraint; locks are drawn so that they are valid. */
export function randomInput (random: () => number, shape: InputShape, method: PairingInput['method'] = 'stable'): PairingInput {
  const mentorIds = Array.from({ length: shape.mentors }, (_, m) => `mentor-${m}`)
  const studentIds = Array.from({ length: shape.students }, (_, s) => `student-${s}`)
  const mentors: PairingMentor[] = mentorIds.map(id => ({
    id,
    tags: pick(random, TAGS, randomInt(random, 4)),
    organisation: maybe(random, 0.7) ? ORGS[randomInt(random, ORGS.length)] : undefined,
    capacity: randomInt(random, shape.maxCapacity + 1),
    active: maybe(random, 0.9),
    reserve: maybe(random, 0.2) ? randomInt(random, 3) : undefined,
    ranking: maybe(random, 0.3) ? pick(random, studentIds, randomInt(random, shape.students + 1)) : undefined
  }))
  const students: PairingStudent[] = studentIds.map(id => ({
    id,
    tags: pick(random, TAGS, randomInt(random, 4)),
    goals: maybe(random, 0.5) ? `I want to get better at ${pick(random, TAGS, 2).join(' and ')}` : undefined,
    organisation: maybe(random, 0.7) ? ORGS[randomInt(random, ORGS.length)] : undefined,
    ranking: maybe(random, 0.6) ? pick(random, [...mentorIds, 'unknown-mentor'], randomInt(random, 4)) : undefined
  }))
  const differentOrganisation = maybe(random, 0.5)
  const forbidden: StudentMentorPair[] = []
  for (let i = 0; i < shape.students / 3; i++) forbidden.push([studentIds[randomInt(random, shape.students)]!, mentorIds[randomInt(random, shape.mentors)]!])
  const locked: StudentMentorPair[] = []
  const lockedLoad = new Map<string, number>()
  for (const student of pick(random, students, randomInt(random, 3))) {
    const mentor = mentors[randomInt(random, mentors.length)]!
    const sameOrg = differentOrganisation && student.organisation !== undefined && student.organisation === mentor.organisation
    const isForbidden = forbidden.some(([s, m]) => s === student.id && m === mentor.id)
    const load = lockedLoad.get(mentor.id) ?? 0
    if (!mentor.active || sameOrg || isForbidden || load >= mentor.capacity) continue
    lockedLoad.set(mentor.id, load + 1)
    locked.push([student.id, mentor.id])
  }
  const reserveFraction = [0, 0, 0.1, 0.34, 0.5][randomInt(random, 5)]
  return { students, mentors, constraints: { locked, forbidden, differentOrganisation, reserveFraction }, seed: randomInt(random, 1000), method }
}
