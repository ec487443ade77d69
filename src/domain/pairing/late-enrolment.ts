import { createUnpairedDescriber, describePair } from './explanations'
import { buildPairingContext, type PairingContext } from './pairing-context'
import { PairingInputError } from './pairing-error'
import type {
  PairingConstraints, PairingInput, PairingMentor, PairingPair, PairingResult, PairingStudent, UnpairedStudent
} from './pairing-types'
import { StudentPreferences } from './preference-lists'

/** A published pairing: everything needed to place late students without moving anyone. */
export interface PairingState {
  students: PairingStudent[]
  mentors: PairingMentor[]
  constraints: PairingConstraints
  seed: string | number
  pairs: Array<{ studentId: string; mentorId: string }>
}

export interface LatePlacement {
  state: PairingState
  pair: PairingPair | null
  unpaired: UnpairedStudent | null
  /** The student took a seat kept in reserve. */
  usedReserve: boolean
}

export interface Move {
  studentId: string
  fromMentorId: string
  toMentorId: string
  pair: PairingPair
  usedReserve: boolean
}

export interface DeactivationRepair {
  state: PairingState
  /** Mentees of the deactivated mentor who were placed again. */
  moved: Move[]
  /** Mentees who could not be placed again, with the reason. */
  unplaced: UnpairedStudent[]
}

export function createPairingState (input: PairingInput, result: PairingResult): PairingState {
  return {
    students: [...input.students],
    mentors: [...input.mentors],
    constraints: { ...input.constraints },
    seed: input.seed,
    pairs: result.pairs.map(({ studentId, mentorId }) => ({ studentId, mentorId }))
  }
}

/** Context over just the students being placed; constraints about others are dropped. */
function placementContext (state: PairingState, students: PairingStudent[], mentors = state.mentors): PairingContext {
  const ids = new Set(students.map(student => student.id))
  const mine = (pairs: PairingConstraints['locked']) => pairs?.filter(([studentId]) => ids.has(studentId))
  const { locked, forbidden } = state.constraints
  return buildPairingContext({
    students,
    mentors,
    constraints: { ...state.constraints, locked: mine(locked), forbidden: mine(forbidden) },
    seed: state.seed
  })
}

function loadsOf (ctx: PairingContext, pairs: PairingState['pairs']): Int32Array {
  const load = new Int32Array(ctx.mentors.length)
  for (const { mentorId } of pairs) {
    const m = ctx.mentorIndex.get(mentorId)
    if (m !== undefined) load[m]!++
  }
  return load
}

interface Placement { pair: PairingPair | null; unpaired: UnpairedStudent | null; usedReserve: boolean }

/**
 * Places students one at a time, in seeded order (or the `order` of student indices given), each with the first
 * mentor on their list (ranking, then compatibility) that has a free regular seat, or failing that a reserved one.
 * Nobody already placed moves. A locked student only goes to the locked mentor.
 */
function placeEach (ctx: PairingContext, load: Int32Array, order: ArrayLike<number> = ctx.studentLottery.order): Placement[] {
  const prefs = new StudentPreferences(ctx)
  const regular = (m: number): boolean => load[m]! < ctx.capacity[m]! - ctx.reserve[m]!
  const any = (m: number): boolean => load[m]! < ctx.capacity[m]!
  const describer = createUnpairedDescriber(ctx, { regular, any }, 'late')
  return Array.from(order, s => {
    const locked = ctx.lockedMentor[s]!
    const length = locked >= 0 ? 1 : prefs.build(s)
    const list = locked >= 0 ? [locked] : Array.from(prefs.mentors.subarray(0, length))
    const pick = list.findIndex(regular)
    const choice = pick >= 0 ? pick : list.findIndex(any)
    if (choice < 0) return { pair: null, unpaired: describer.describe(s), usedReserve: false }
    const m = list[choice]!
    load[m]!++
    describer.refresh(m)
    return { pair: describePair(ctx, s, m, locked >= 0 ? null : choice + 1), unpaired: null, usedReserve: pick < 0 }
  })
}

/** Pairs a newly enrolled student with the best mentor that has room; nobody else moves. */
export function placeLateStudent (state: PairingState, student: PairingStudent): LatePlacement {
  if (state.pairs.some(pair => pair.studentId === student.id)) {
    throw new PairingInputError(`student ${student.id} is already paired`)
  }
  const ctx = placementContext(state, [student])
  const [placed] = placeEach(ctx, loadsOf(ctx, state.pairs))
  const { pair, unpaired, usedReserve } = placed!
  const students = [...state.students.filter(other => other.id !== student.id), student]
  const pairs = pair === null ? state.pairs : [...state.pairs, { studentId: pair.studentId, mentorId: pair.mentorId }]
  return { state: { ...state, students, pairs }, pair, unpaired, usedReserve }
}

export interface LatePlacements {
  state: PairingState
  /** One per student, in the order given: what placeLateStudent answers for each (its state aside). */
  placements: Array<Omit<LatePlacement, 'state'>>
}

/**
 * The students cut, in order, into runs whose locks fit their mentors' seats: a placement context refuses more locks
 * to one mentor than it has seats, which placing students one at a time never asks of it (a student locked to a full
 * mentor is just left unpaired). Without such locks, one run.
 */
function runsWithinLockedSeats (state: PairingState, students: readonly PairingStudent[]): PairingStudent[][] {
  const seats = new Map(state.mentors.map(mentor => [mentor.id, mentor.active ? mentor.capacity : 0]))
  const lockedTo = new Map<string, string>()
  for (const [studentId, mentorId] of state.constraints.locked ?? []) if (!lockedTo.has(studentId)) lockedTo.set(studentId, mentorId)
  const runs: PairingStudent[][] = []
  let run: PairingStudent[] = []
  let locks = new Map<string, number>()
  for (const student of students) {
    const mentorId = lockedTo.get(student.id)
    if (mentorId !== undefined) {
      if ((locks.get(mentorId) ?? 0) + 1 > (seats.get(mentorId) ?? Infinity) && run.length > 0) {
        runs.push(run)
        run = []
        locks = new Map()
      }
      locks.set(mentorId, (locks.get(mentorId) ?? 0) + 1)
    }
    run.push(student)
  }
  if (run.length > 0) runs.push(run)
  return runs
}

/**
 * Pairs several late students, one after another in the order given, each with the best mentor that has room; nobody
 * else moves. The same mentors, explanations and reasons as placeLateStudent for each in turn, but with one placement
 * context for them all: linear in students and mentors. Throws, placing nobody, where placeLateStudent would throw.
 */
export function placeLateStudents (state: PairingState, students: readonly PairingStudent[]): LatePlacements {
  const paired = new Set(state.pairs.map(pair => pair.studentId))
  const ids = new Set<string>()
  for (const student of students) {
    if (paired.has(student.id)) throw new PairingInputError(`student ${student.id} is already paired`)
    if (ids.has(student.id)) throw new PairingInputError(`student ${student.id} is listed twice`)
    ids.add(student.id)
  }
  const placements: Placement[] = []
  let load: Int32Array | undefined
  for (const run of runsWithinLockedSeats(state, students)) {
    const ctx = placementContext(state, run)
    // Every context indexes state.mentors alike, so the seats taken carry over from one run to the next.
    load ??= loadsOf(ctx, state.pairs)
    for (const placement of placeEach(ctx, load, run.map((_, s) => s))) placements.push(placement)
  }
  const pairs = [...state.pairs]
  for (const { pair } of placements) if (pair !== null) pairs.push({ studentId: pair.studentId, mentorId: pair.mentorId })
  return { state: { ...state, students: [...state.students.filter(other => !ids.has(other.id)), ...students], pairs }, placements }
}

/** Deactivates a mentor and re-places their mentees like late students; nobody else moves. */
export function repairAfterDeactivation (state: PairingState, mentorId: string): DeactivationRepair {
  if (!state.mentors.some(mentor => mentor.id === mentorId)) throw new PairingInputError(`unknown mentor ${mentorId}`)
  const mentors = state.mentors.map(mentor => (mentor.id === mentorId ? { ...mentor, active: false } : mentor))
  const displacedIds = new Set(state.pairs.filter(pair => pair.mentorId === mentorId).map(pair => pair.studentId))
  const kept = state.pairs.filter(pair => pair.mentorId !== mentorId)
  const constraints = { ...state.constraints, locked: state.constraints.locked?.filter(([, m]) => m !== mentorId) }
  const ctx = placementContext({ ...state, mentors, constraints }, state.students.filter(student => displacedIds.has(student.id)))
  const moved: Move[] = []
  const unplaced: UnpairedStudent[] = []
  for (const { pair, unpaired, usedReserve } of placeEach(ctx, loadsOf(ctx, kept))) {
    if (pair !== null) moved.push({ studentId: pair.studentId, fromMentorId: mentorId, toMentorId: pair.mentorId, pair, usedReserve })
    if (unpaired !== null) unplaced.push(unpaired)
  }
  const pairs = [...kept, ...moved.map(move => ({ studentId: move.studentId, mentorId: move.toMentorId }))]
  return { state: { ...state, mentors, constraints, pairs }, moved, unplaced }
}
