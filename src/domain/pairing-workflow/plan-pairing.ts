import { runBothPairings } from '../pairing'
import type { PairingInput, PairingMethod, PairingResult } from '../pairing/pairing-types'
import type { MethodFigures, PairingInputs, PairingPlan } from './pairing-ports'

const figures = (result: PairingResult): MethodFigures => ({
  placed: result.pairs.length,
  unplaced: result.unpaired.length,
  totalCompatibility: result.totalCompatibility,
  blockingPairs: result.blockingPairs
})

export function toPairingInput (inputs: PairingInputs, plan: Omit<PairingPlan, 'publishedAt'>, method: PairingMethod): PairingInput {
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
export function planPairing (inputs: PairingInputs, plan: Omit<PairingPlan, 'publishedAt'>) {
  const both = runBothPairings(toPairingInput(inputs, plan, plan.method))
  return {
    result: both[plan.method],
    comparison: { stable: figures(both.stable), 'best-fit': figures(both['best-fit']) } as Record<PairingMethod, MethodFigures>
  }
}
