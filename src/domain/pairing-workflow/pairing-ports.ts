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
}

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
  settings: Omit<PairingPlan, 'publishedAt'>
  inputs: PairingInputs
  result: PairingResult
  comparison: Record<PairingMethod, MethodFigures>
  publishedAt: Date | null
}

/** The storage the pairing workflow needs; persistence implements it. */
export interface PairingStore {
  planOf: (courseId: string) => Promise<PairingPlan>
  loadInputs: (courseId: string) => Promise<PairingInputs>
  /** Stores a run as the course's latest, with `plan` as the course's plan when the run was made with new settings. */
  saveRun: (run: Omit<PairingRunRecord, 'id' | 'createdAt' | 'publishedAt'>, plan?: Omit<PairingPlan, 'publishedAt'>) => Promise<string>
  latestRun: (courseId: string) => Promise<PairingRunRecord | null>
  /** Writes the pairs of students not paired yet; answers those it wrote. */
  publish: (courseId: string, runId: string, pairs: Array<ProposedPair & { explanation: string }>, at: Date) => Promise<ProposedPair[]>
}

export interface ActivePairing { studentId: string, mentorId: string, publishedAt: Date }

/** What keeping a published pairing up to date needs: late students, dropped students, deactivated mentors. */
export interface PairingMaintenanceStore {
  planOf: PairingStore['planOf']
  loadInputs: PairingStore['loadInputs']
  activeList: (courseId: string) => Promise<ActivePairing[]>
  /** Pairs a student who has no active pairing (new, or released earlier); false if one appeared meanwhile. */
  place: (courseId: string, studentId: string, mentorId: string, source: 'late-enrolment' | 'repair', explanation: string, at: Date) => Promise<boolean>
  /** False when the student was no longer with that mentor. */
  move: (courseId: string, studentId: string, fromMentorId: string, toMentorId: string, reason: string, explanation: string, at: Date) => Promise<boolean>
  /** False when the student had no active pairing. */
  release: (courseId: string, studentId: string, reason: string, at: Date) => Promise<boolean>
  /** Serialises maintenance of one course across processes; the lease expires if a process dies holding it. */
  withCourseLease: <T>(courseId: string, work: () => Promise<T>) => Promise<T>
}
