import type { PairingMethod, PairingResult } from '../pairing/pairing-types'

export interface ProposedPair { studentId: string, mentorId: string }

export interface PairingPlan {
  method: PairingMethod
  balanceLoad: boolean
  differentOrganisation: boolean
  reserveFraction: number
  seed: string
  locked: ProposedPair[]
  forbidden: ProposedPair[]
  publishedAt: Date | null
  /** The constraints before the last adjustment, so it can be undone (one step). */
  undo?: UndoStep | null
}

/**
 * The last adjustment: its words ("Lock Samuel with Grace"), the students it moved besides the one it was about
 * (`toMentorId` null: left unpaired), and the locked and forbidden pairs from before it, which undoing restores.
 */
export interface UndoStep { locked: ProposedPair[], forbidden: ProposedPair[], label: string, knockOns: KnockOn[] }

/** A student an adjustment moved although it was about someone else. */
export interface KnockOn { studentId: string, fromMentorId: string, toMentorId: string | null }

/** The settings a run is made with: the plan without its publication state. */
export type PlanSettings = Omit<PairingPlan, 'publishedAt' | 'undo'>

export interface StudentInput { id: string, name: string, tags: string[], goals: string, organisation: string, ranking: string[], hasIntake: boolean }
export interface MentorInput { id: string, name: string, organisation: string, tags: string[], capacity: number, active: boolean }
export interface PairingInputs { students: StudentInput[], mentors: MentorInput[] }

export interface MethodFigures { placed: number, unplaced: number, totalCompatibility: number, blockingPairs: number }

export interface PairingRunRecord {
  id: string
  courseId: string
  createdBy: string
  createdAt?: Date
  method: PairingMethod
  seed: string
  settings: PlanSettings
  inputs: PairingInputs
  result: PairingResult
  comparison: Record<PairingMethod, MethodFigures>
  publishedAt: Date | null
}

/** The storage the pairing workflow needs; persistence implements it. */
export interface PairingStore {
  planOf: (courseId: string) => Promise<PairingPlan>
  loadInputs: (courseId: string) => Promise<PairingInputs>
  /**
   * Stores a run as the course's latest, with `plan` as the course's plan when the run was made with new settings and
   * `undo` as the step that undoes it (null: nothing to undo). A `repair` run (after publication) is kept apart.
   */
  saveRun: (run: Omit<PairingRunRecord, 'id' | 'createdAt' | 'publishedAt'>, plan?: PlanSettings, options?: { undo?: UndoStep | null, repair?: boolean }) => Promise<string>
  latestRun: (courseId: string) => Promise<PairingRunRecord | null>
  /** The re-pair preview made after publication, if any (discarded once republished or unpublished). */
  repairRun: (courseId: string) => Promise<PairingRunRecord | null>
  /**
   * Publishes a run all or nothing as people see it (resuming an interrupted publication of the same run);
   * answers the pairs the publication wrote, or null when it had completed before (nothing more to do or announce).
   * Students paired before keep their pair.
   */
  publish: (courseId: string, runId: string, pairs: Array<ProposedPair & { explanation: string }>, at: Date) => Promise<ProposedPair[] | null>
  /** A publication that started and did not complete. */
  interruptedPublication: (courseId: string) => Promise<{ runId: string, startedAt: Date } | null>
  /** Serialises changes to the course's published pairing across processes. */
  withCourseLease: <T>(courseId: string, work: () => Promise<T>) => Promise<T>
}

/** `pinned`: a person chose this pair after publication (a move, swap or accepted request); a re-pair keeps it. */
export interface ActivePairing { studentId: string, mentorId: string, publishedAt: Date, pinned?: boolean }

/** What keeping a published pairing up to date needs: late students, dropped students, deactivated mentors. */
export interface PairingMaintenanceStore {
  planOf: PairingStore['planOf']
  loadInputs: PairingStore['loadInputs']
  activeList: (courseId: string) => Promise<ActivePairing[]>
  /** Pairs a student who has no active pairing (new, or released earlier); false if one appeared meanwhile. */
  place: (courseId: string, studentId: string, mentorId: string, source: 'late-enrolment' | 'repair', explanation: string, at: Date) => Promise<boolean>
  /**
   * `place` for many students at once, in a few round trips: pairs each student who has no active pairing (new, or
   * released earlier); answers those it paired, leaving out students who were paired meanwhile.
   */
  placeMany: (courseId: string, placements: ReadonlyArray<ProposedPair & { explanation: string }>, source: 'late-enrolment' | 'repair', at: Date) => Promise<ProposedPair[]>
  /** False when the student was no longer with that mentor. `pinned`: a person chose the new pair (see ActivePairing). */
  move: (courseId: string, studentId: string, fromMentorId: string, toMentorId: string, reason: string, explanation: string, at: Date, pinned?: boolean) => Promise<boolean>
  /** False when the student had no active pairing. */
  release: (courseId: string, studentId: string, reason: string, at: Date) => Promise<boolean>
  /** Serialises maintenance of one course across processes; the lease expires if a process dies holding it. */
  withCourseLease: <T>(courseId: string, work: () => Promise<T>) => Promise<T>
}
