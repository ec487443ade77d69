// Pairing students with mentors: pure TypeScript, no I/O. runPairing() for a whole course
// (stable matching or best fit), then placeLateStudent(s)() / repairAfterDeactivation() once the
// pairing is published, which place people into free seats without moving anyone else.
export * from './pairing-types'
export { PairingInputError } from './pairing-error'
export { runPairing, runBothPairings, DEFAULT_BALANCE_WEIGHT } from './run-pairing'
export { compatibility, normaliseTag, type CompatibilityBreakdown } from './compatibility'
export {
  createPairingState, placeLateStudent, placeLateStudents, repairAfterDeactivation,
  type PairingState, type LatePlacement, type LatePlacements, type Move, type DeactivationRepair
} from './late-enrolment'
export { DEFAULT_RESERVE_FRACTION } from './pairing-context'
