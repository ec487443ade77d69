export type PairingMethod = 'stable' | 'best-fit'

export interface PairingStudent {
  id: string
  tags: string[]
  goals?: string
  organisation?: string
  /** Mentor ids, best first. Unlisted eligible mentors follow, ordered by compatibility. */
  ranking?: string[]
}

export interface PairingMentor {
  id: string
  tags: string[]
  organisation?: string
  capacity: number
  active: boolean
  /** Seats kept free for late students; overrides the reserveFraction share for this mentor. */
  reserve?: number
  /** Student ids, best first. Unlisted students follow, ordered by compatibility. */
  ranking?: string[]
}

export type StudentMentorPair = readonly [studentId: string, mentorId: string]

export interface PairingConstraints {
  /** Forced pairs. They must respect every other constraint and fit the mentor's capacity. */
  locked?: StudentMentorPair[]
  forbidden?: StudentMentorPair[]
  /** Never pair a student with a mentor of the same organisation (when both are given). */
  differentOrganisation?: boolean
  /** Share of each mentor's capacity kept free for late students, rounded down. Default 0.1. */
  reserveFraction?: number
}

export interface PairingInput {
  students: PairingStudent[]
  mentors: PairingMentor[]
  constraints?: PairingConstraints
  seed: string | number
  method: PairingMethod
  /** Best fit only: make each extra mentee cost more, spreading students across mentors. */
  balanceLoad?: boolean
  /**
   * Best fit only: compatibility given up for a mentor's last seat when balancing;
   * seat k of a mentor with capacity c costs balanceWeight * (k - 1) / c. Default 0.25.
   */
  balanceWeight?: number
  /**
   * Longest preference list per student (their ranking, then the most compatible eligible
   * mentors). Both methods only consider listed mentors. Default: every eligible mentor.
   */
  listLength?: number
}

export interface PairExplanation {
  sharedTags: string[]
  /** Mentor tags found in the student's goals. */
  goalMatches: string[]
  /** 1-based position of the mentor in the student's own ranking, null if not ranked. */
  studentRank: number | null
  /** 1-based position of the student in the mentor's own ranking, null if not ranked. */
  mentorRank: number | null
  /** 1-based position of the mentor on the student's completed preference list; null when locked. */
  choice: number | null
  compatibility: number
  locked: boolean
}

export interface PairingPair {
  studentId: string
  mentorId: string
  score: number
  explanation: PairExplanation
}

export type UnpairedReasonCode =
  | 'no-active-mentor'
  | 'only-forbidden-or-same-organisation'
  | 'only-reserved-seats-left'
  | 'all-eligible-mentors-full'
  | 'preference-list-exhausted'

export interface UnpairedStudent {
  studentId: string
  reason: UnpairedReasonCode
  message: string
  details: { eligibleMentors: number; forbidden: number; sameOrganisation: number }
}

export interface PairingResult {
  method: PairingMethod
  /** Sorted by student id. */
  pairs: PairingPair[]
  /** Sorted by student id. */
  unpaired: UnpairedStudent[]
  /** Mentees per mentor, every mentor included. */
  loads: Record<string, number>
  /** Seats per mentor kept free for late students. */
  reserved: Record<string, number>
  totalCompatibility: number
  /**
   * Listed student–mentor pairs who both prefer each other to what they got; a mentor with a free
   * seat (outside the reserve) prefers anyone acceptable. Locked students and seats are left out.
   */
  blockingPairs: number
}
