import { bestFitAssignment, strongestFirst } from './best-fit-assignment'
import { SCORE_SCALE } from './compatibility'
import { deferredAcceptance } from './deferred-acceptance'
import { createUnpairedDescriber, describePair } from './explanations'
import { countBlockingPairs } from './matching-metrics'
import { buildPairingContext, type PairingContext } from './pairing-context'
import { PairingInputError } from './pairing-error'
import type { PairingInput, PairingPair, PairingResult, UnpairedStudent } from './pairing-types'
import { buildPreferenceLists, type PreferenceLists } from './preference-lists'

export const DEFAULT_BALANCE_WEIGHT = 0.25

const byStudentId = (a: { studentId: string }, b: { studentId: string }): number =>
  a.studentId < b.studentId ? -1 : a.studentId > b.studentId ? 1 : 0

function checkOptions (input: PairingInput): void {
  if (input.method !== 'stable' && input.method !== 'best-fit') throw new PairingInputError(`unknown method ${String(input.method)}`)
  const { listLength, balanceWeight } = input
  if (listLength !== undefined && !(Number.isInteger(listLength) && listLength > 0)) {
    throw new PairingInputError('listLength must be a positive integer')
  }
  if (balanceWeight !== undefined && !(Number.isFinite(balanceWeight) && balanceWeight >= 0)) {
    throw new PairingInputError('balanceWeight must be a non-negative number')
  }
}

/** Seats this run may fill: capacity minus the reserve and the locked students. */
function openSeats (ctx: PairingContext): Int32Array {
  return ctx.capacity.map((seats, m) => Math.max(0, seats - ctx.reserve[m]! - ctx.lockedLoad[m]!))
}

function solve (input: PairingInput, ctx: PairingContext, lists: PreferenceLists, seats: Int32Array): Int32Array {
  if (input.method === 'stable') return deferredAcceptance(lists, seats)
  const order = strongestFirst(lists, ctx.studentLottery.ranks)
  if (input.balanceLoad !== true) return bestFitAssignment(lists, seats, { order })
  const weight = (input.balanceWeight ?? DEFAULT_BALANCE_WEIGHT) * SCORE_SCALE
  // the (j + 1)-th mentee of a mentor with capacity c costs weight * j / c: convex in the load
  const seatCost = (m: number, seat: number): number => Math.round(weight * (ctx.lockedLoad[m]! + seat) / ctx.capacity[m]!)
  return bestFitAssignment(lists, seats, { order, seatCost })
}

function collectPairs (ctx: PairingContext, lists: PreferenceLists, assigned: Int32Array): { pairs: PairingPair[]; load: Int32Array } {
  const load = ctx.lockedLoad.slice()
  const pairs: PairingPair[] = []
  ctx.lockedMentor.forEach((m, s) => {
    if (m >= 0) pairs.push(describePair(ctx, s, m, null))
  })
  assigned.forEach((e, s) => {
    if (e < 0) return
    const m = lists.mentor[e]!
    load[m]!++
    pairs.push(describePair(ctx, s, m, e - lists.start[s]! + 1))
  })
  return { pairs: pairs.sort(byStudentId), load }
}

function collectUnpaired (
  input: PairingInput, ctx: PairingContext, lists: PreferenceLists, assigned: Int32Array, load: Int32Array
): UnpairedStudent[] {
  const unpaired: UnpairedStudent[] = []
  const regular = (m: number): boolean => load[m]! < ctx.capacity[m]! - ctx.reserve[m]!
  const any = (m: number): boolean => load[m]! < ctx.capacity[m]!
  const describer = createUnpairedDescriber(ctx, { regular, any }, input.method)
  assigned.forEach((e, s) => {
    if (e >= 0 || ctx.lockedMentor[s]! >= 0) return
    unpaired.push(describer.describe(s, input.listLength === undefined ? undefined : lists.mentor.subarray(lists.start[s]!, lists.start[s + 1]!)))
  })
  return unpaired.sort(byStudentId)
}

function perMentor (ctx: PairingContext, values: ArrayLike<number>): Record<string, number> {
  const entries = ctx.mentors.map((mentor, m) => [mentor.id, values[m]!] as const)
  return Object.fromEntries(entries.sort((a, b) => (a[0] < b[0] ? -1 : 1)))
}

/**
 * Pairs students with mentors. 'stable': the student-optimal stable matching (student-proposing
 * deferred acceptance). 'best-fit': as many students as possible, then the highest total
 * compatibility (optionally with a load-balancing cost). Locked pairs are fixed first; both
 * methods see the same preference lists and the same seats (capacity minus reserve).
 */
export function runPairing (input: PairingInput): PairingResult {
  checkOptions(input)
  const ctx = buildPairingContext(input)
  return resultOf(input, ctx, buildPreferenceLists(ctx, input.listLength))
}

/**
 * Both methods on the same input, the context and preference lists built once (most of the work at 10,000 students):
 * what the instructor's preview compares.
 */
export function runBothPairings (input: Omit<PairingInput, 'method'>): Record<PairingInput['method'], PairingResult> {
  const stable = { ...input, method: 'stable' as const }
  checkOptions(stable)
  const ctx = buildPairingContext(stable)
  const lists = buildPreferenceLists(ctx, input.listLength)
  return { stable: resultOf(stable, ctx, lists), 'best-fit': resultOf({ ...input, method: 'best-fit' }, ctx, lists) }
}

function resultOf (input: PairingInput, ctx: PairingContext, lists: PreferenceLists): PairingResult {
  const seats = openSeats(ctx)
  const assigned = solve(input, ctx, lists, seats)
  const { pairs, load } = collectPairs(ctx, lists, assigned)
  const totalMicro = pairs.reduce((sum, pair) => sum + Math.round(pair.score * SCORE_SCALE), 0)
  return {
    method: input.method,
    pairs,
    unpaired: collectUnpaired(input, ctx, lists, assigned, load),
    loads: perMentor(ctx, load),
    reserved: perMentor(ctx, ctx.reserve),
    totalCompatibility: totalMicro / SCORE_SCALE,
    blockingPairs: countBlockingPairs(lists, seats, assigned)
  }
}
