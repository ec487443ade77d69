import { buildPairingContext } from '../../../../src/domain/pairing/pairing-context'
import type { PairingInput, PairingResult } from '../../../../src/domain/pairing'
import { buildPreferenceLists, type PreferenceLists } from '../../../../src/domain/pairing/preference-lists'
import { entryOf } from './random-lists'

export interface ResidualMarket {
  lists: PreferenceLists
  /** Seats the run could fill: capacity - reserve - locked. */
  seats: Int32Array
  /** The result as chosen entries (locked students excluded, -1). */
  assigned: Int32Array
}

/** Rebuilds the engines' view of an input and maps a result back onto it. */
export function residualMarket (input: PairingInput, result: PairingResult): ResidualMarket {
  const ctx = buildPairingContext(input)
  const lists = buildPreferenceLists(ctx, input.listLength)
  const seats = ctx.capacity.map((c, m) => Math.max(0, c - ctx.reserve[m]! - ctx.lockedLoad[m]!))
  const assigned = new Int32Array(ctx.students.length).fill(-1)
  for (const pair of result.pairs) {
    const s = ctx.studentIndex.get(pair.studentId)!
    if (ctx.lockedMentor[s]! >= 0) continue
    const e = entryOf(lists, s, ctx.mentorIndex.get(pair.mentorId)!)
    if (e < 0) throw new Error(`pair ${pair.studentId} -> ${pair.mentorId} is not on the student's list`)
    assigned[s] = e
  }
  return { lists, seats, assigned }
}

/** Hard constraints every result must satisfy, whatever the method. */
export function expectConstraintsHold (input: PairingInput, result: PairingResult): void {
  const { students, mentors } = input
  const constraints = input.constraints ?? {}
  const fraction = constraints.reserveFraction ?? 0.1
  const seen = [...result.pairs.map(p => p.studentId), ...result.unpaired.map(u => u.studentId)].sort()
  if (JSON.stringify(seen) !== JSON.stringify(students.map(s => s.id).sort())) throw new Error('students lost or duplicated')
  const mentorById = new Map(mentors.map(m => [m.id, m]))
  const studentById = new Map(students.map(s => [s.id, s]))
  const load = new Map<string, number>()
  for (const pair of result.pairs) {
    const mentor = mentorById.get(pair.mentorId)!
    const student = studentById.get(pair.studentId)!
    load.set(mentor.id, (load.get(mentor.id) ?? 0) + 1)
    if (!mentor.active) throw new Error(`inactive mentor ${mentor.id} paired`)
    if ((constraints.forbidden ?? []).some(([s, m]) => s === student.id && m === mentor.id)) throw new Error('forbidden pair used')
    const sameOrg = student.organisation !== undefined && student.organisation.toLowerCase() === mentor.organisation?.toLowerCase()
    if (constraints.differentOrganisation === true && sameOrg) throw new Error('same-organisation pair used')
  }
  for (const [studentId, mentorId] of constraints.locked ?? []) {
    if (!result.pairs.some(p => p.studentId === studentId && p.mentorId === mentorId && p.explanation.locked)) throw new Error('lock lost')
  }
  for (const mentor of mentors) {
    const locks = (constraints.locked ?? []).filter(([, m]) => m === mentor.id).length
    const reserve = mentor.active ? Math.min(mentor.capacity, mentor.reserve ?? Math.floor(mentor.capacity * fraction + 1e-9)) : 0
    const got = load.get(mentor.id) ?? 0
    if (result.loads[mentor.id] !== got) throw new Error(`load of ${mentor.id} misreported`)
    if (result.reserved[mentor.id] !== reserve) throw new Error(`reserve of ${mentor.id} misreported`)
    if (got > Math.max(locks, mentor.capacity - reserve)) throw new Error(`mentor ${mentor.id} over its open seats`)
  }
  const total = result.pairs.reduce((sum, p) => sum + p.score, 0)
  if (Math.abs(total - result.totalCompatibility) > 1e-6) throw new Error('total compatibility misreported')
}
