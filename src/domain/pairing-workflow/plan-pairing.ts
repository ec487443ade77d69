import { DomainError } from '../domain-error'
import { runBothPairings } from '../pairing'
import { PairingInputError } from '../pairing/pairing-error'
import type { PairingInput, PairingMethod, PairingResult } from '../pairing/pairing-types'
import type { MethodFigures, PairingInputs, PlanSettings } from './pairing-ports'

const figures = (result: PairingResult): MethodFigures => ({
  placed: result.pairs.length,
  unplaced: result.unpaired.length,
  totalCompatibility: result.totalCompatibility,
  blockingPairs: result.blockingPairs
})

export function toPairingInput (inputs: PairingInputs, plan: PlanSettings, method: PairingMethod): PairingInput {
  return {
    students: inputs.students.map((s) => ({ id: s.id, tags: s.tags, goals: s.goals, organisation: s.organisation || undefined, ranking: s.ranking })),
    mentors: inputs.mentors.map((m) => ({ id: m.id, tags: m.tags, organisation: m.organisation || undefined, capacity: m.capacity, active: m.active })),
    constraints: {
      locked: plan.locked.map((p) => [p.studentId, p.mentorId] as const),
      forbidden: plan.forbidden.map((p) => [p.studentId, p.mentorId] as const),
      differentOrganisation: plan.differentOrganisation,
      reserveFraction: plan.reserveFraction
    },
    seed: plan.seed,
    method,
    balanceLoad: plan.balanceLoad
  }
}

/**
 * Runs the instructor's chosen method and, on the same inputs, the other one, so the preview can show what the
 * choice costs: best fit may leave justified complaints, stable matching may leave total fit lower.
 */
export function planPairing (inputs: PairingInputs, plan: PlanSettings) {
  const both = runBothPairings(toPairingInput(inputs, plan, plan.method))
  return {
    result: both[plan.method],
    comparison: { stable: figures(both.stable), 'best-fit': figures(both['best-fit']) } as Record<PairingMethod, MethodFigures>
  }
}

/** A refusal of the pairing engine in the instructor's words: names instead of ids, and what to do about it. */
function refusalOf (err: PairingInputError, inputs: PairingInputs): DomainError {
  const names = new Map([...inputs.students, ...inputs.mentors].map((x) => [x.id, x.name]))
  const full = /locked pairs exceed the capacity of mentor (\w+)/.exec(err.message)
  if (full) {
    const mentor = names.get(full[1] ?? '') ?? 'a mentor'
    return new DomainError('CONFLICT', `More students are locked or moved to ${mentor} than ${mentor} has seats. Unlock one of them, or raise ${mentor}'s capacity in the Mentor pool.`)
  }
  const named = err.message.replace(/\b[0-9a-f]{24}\b/g, (id) => names.get(id) ?? 'someone no longer in the course')
  return new DomainError('INVALID', `The pairing cannot run: ${named}.`)
}

/** `planPairing`, with the engine's refusals turned into the instructor's words. */
export function planPairingOrRefuse (inputs: PairingInputs, plan: PlanSettings) {
  try {
    return planPairing(inputs, plan)
  } catch (err) {
    if (err instanceof PairingInputError) throw refusalOf(err, inputs)
    throw err
  }
}
