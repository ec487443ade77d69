import { CompatibilityIndex } from './compatibility-index'
import { MentorRankings } from './mentor-rankings'
import { PairingInputError } from './pairing-error'
import type { PairingConstraints, PairingMentor, PairingStudent } from './pairing-types'
import { drawLottery, seedHash, type Lottery } from './seeded-random'

export const ELIGIBLE = 0
export const INACTIVE = 1
export const FORBIDDEN = 2
export const SAME_ORGANISATION = 3
export type Exclusion = typeof ELIGIBLE | typeof INACTIVE | typeof FORBIDDEN | typeof SAME_ORGANISATION

export const DEFAULT_RESERVE_FRACTION = 0.1

export interface ContextInput {
  students: readonly PairingStudent[]
  mentors: readonly PairingMentor[]
  constraints?: PairingConstraints
  seed: string | number
}

/** Validated input with integer indices: what every pairing algorithm works from. */
export interface PairingContext {
  readonly students: readonly PairingStudent[]
  readonly mentors: readonly PairingMentor[]
  readonly studentIndex: ReadonlyMap<string, number>
  readonly mentorIndex: ReadonlyMap<string, number>
  /** Seeded strict orders used for tie-breaks. */
  readonly studentLottery: Lottery
  readonly mentorLottery: Lottery
  readonly compat: CompatibilityIndex
  /** Seats per mentor; 0 for inactive mentors. */
  readonly capacity: Int32Array
  /** Seats kept for late students: the mentor's own reserve, else floor(capacity * reserveFraction). */
  readonly reserve: Int32Array
  /** Locked mentor per student, -1 if none. */
  readonly lockedMentor: Int32Array
  readonly lockedLoad: Int32Array
  readonly mentorRankings: MentorRankings
  /** Why each mentor may not take this student, or ELIGIBLE (the student's lookups done once). */
  exclusionsFor: (student: number) => (mentor: number) => Exclusion
  /** The mentors the student may not have, if any. */
  forbiddenFor: (student: number) => ReadonlySet<number> | undefined
  /** The organisation mentors must not share with the student (-1: none to avoid), and each mentor's organisation. */
  separatedOrganisationOf: (student: number) => number
  readonly mentorOrganisation: Int32Array
}

function indexIds (items: ReadonlyArray<{ id: string }>, kind: string): Map<string, number> {
  const index = new Map<string, number>()
  items.forEach((item, i) => {
    if (typeof item.id !== 'string' || item.id === '') throw new PairingInputError(`${kind} without an id`)
    if (index.has(item.id)) throw new PairingInputError(`duplicate ${kind} id ${item.id}`)
    index.set(item.id, i)
  })
  return index
}

function organisationIds (people: ReadonlyArray<{ organisation?: string }>, ids: Map<string, number>): Int32Array {
  return Int32Array.from(people, person => {
    const name = person.organisation?.trim().toLowerCase() ?? ''
    if (name === '') return -1
    if (!ids.has(name)) ids.set(name, ids.size)
    return ids.get(name)!
  })
}

function seatsOf (mentors: readonly PairingMentor[], fraction: number): { capacity: Int32Array; reserve: Int32Array } {
  if (!(fraction >= 0 && fraction < 1)) throw new PairingInputError('reserveFraction must be in [0, 1)')
  const capacity = Int32Array.from(mentors, mentor => {
    if (!Number.isInteger(mentor.capacity) || mentor.capacity < 0) {
      throw new PairingInputError(`mentor ${mentor.id} needs a non-negative integer capacity`)
    }
    return mentor.active ? mentor.capacity : 0
  })
  const reserve = capacity.map((seats, m) => {
    const own = mentors[m]!.reserve
    if (own === undefined) return Math.floor(seats * fraction + 1e-9) // 1e-9: 100 * 0.29 is 28.999…
    if (!Number.isInteger(own) || own < 0) throw new PairingInputError(`mentor ${mentors[m]!.id} needs a non-negative integer reserve`)
    return Math.min(own, seats)
  })
  return { capacity, reserve }
}

type ExclusionRules = Pick<PairingContext, 'exclusionsFor' | 'forbiddenFor' | 'separatedOrganisationOf' | 'mentorOrganisation'>

function exclusionRules (
  input: ContextInput, studentIndex: ReadonlyMap<string, number>, mentorIndex: ReadonlyMap<string, number>
): ExclusionRules {
  const { students, mentors, constraints = {} } = input
  const forbidden = new Map<number, Set<number>>()
  for (const [studentId, mentorId] of constraints.forbidden ?? []) {
    const s = studentIndex.get(studentId)
    const m = mentorIndex.get(mentorId)
    if (s === undefined || m === undefined) continue
    if (!forbidden.has(s)) forbidden.set(s, new Set())
    forbidden.get(s)!.add(m)
  }
  const organisations = new Map<string, number>()
  const studentOrg = organisationIds(students, organisations)
  const mentorOrg = organisationIds(mentors, organisations)
  const separate = constraints.differentOrganisation === true
  const active = Uint8Array.from(mentors, mentor => (mentor.active ? 1 : 0))
  return {
    forbiddenFor: s => forbidden.get(s),
    separatedOrganisationOf: s => separate ? studentOrg[s]! : -1,
    mentorOrganisation: mentorOrg,
    exclusionsFor: s => {
      const excluded = forbidden.get(s)
      const org = studentOrg[s]!
      return m => {
        if (active[m] === 0) return INACTIVE
        if (excluded?.has(m) === true) return FORBIDDEN
        if (separate && org >= 0 && org === mentorOrg[m]) return SAME_ORGANISATION
        return ELIGIBLE
      }
    }
  }
}

const CONFLICT: Record<Exclusion, string> = {
  [ELIGIBLE]: '',
  [INACTIVE]: 'an inactive mentor',
  [FORBIDDEN]: 'a forbidden pair',
  [SAME_ORGANISATION]: 'the same organisation'
}

function lockedPairs (
  input: ContextInput, ids: Pick<PairingContext, 'studentIndex' | 'mentorIndex' | 'exclusionsFor' | 'capacity'>
): { lockedMentor: Int32Array; lockedLoad: Int32Array } {
  const lockedMentor = new Int32Array(input.students.length).fill(-1)
  const lockedLoad = new Int32Array(input.mentors.length)
  for (const [studentId, mentorId] of input.constraints?.locked ?? []) {
    const s = ids.studentIndex.get(studentId)
    const m = ids.mentorIndex.get(mentorId)
    const pair = `${studentId} -> ${mentorId}`
    if (s === undefined || m === undefined) throw new PairingInputError(`locked pair ${pair} names an unknown id`)
    if (lockedMentor[s] !== -1) throw new PairingInputError(`student ${studentId} is locked twice`)
    const why = ids.exclusionsFor(s)(m)
    if (why !== ELIGIBLE) throw new PairingInputError(`locked pair ${pair} conflicts with ${CONFLICT[why]}`)
    if (++lockedLoad[m]! > ids.capacity[m]!) throw new PairingInputError(`locked pairs exceed the capacity of mentor ${mentorId}`)
    lockedMentor[s] = m
  }
  return { lockedMentor, lockedLoad }
}

export function buildPairingContext (input: ContextInput): PairingContext {
  const { students, mentors } = input
  const studentIndex = indexIds(students, 'student')
  const mentorIndex = indexIds(mentors, 'mentor')
  const { capacity, reserve } = seatsOf(mentors, input.constraints?.reserveFraction ?? DEFAULT_RESERVE_FRACTION)
  const rules = exclusionRules(input, studentIndex, mentorIndex)
  const seed = seedHash(input.seed)
  return {
    students,
    mentors,
    studentIndex,
    mentorIndex,
    studentLottery: drawLottery(students.map(student => student.id), seed),
    mentorLottery: drawLottery(mentors.map(mentor => mentor.id), seed),
    compat: new CompatibilityIndex(students, mentors),
    capacity,
    reserve,
    ...lockedPairs(input, { studentIndex, mentorIndex, capacity, exclusionsFor: rules.exclusionsFor }),
    mentorRankings: new MentorRankings(mentors, studentIndex),
    ...rules
  }
}
