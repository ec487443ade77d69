import { SCORE_SCALE } from './compatibility'
import { ELIGIBLE, FORBIDDEN, SAME_ORGANISATION, type PairingContext } from './pairing-context'
import type { PairExplanation, PairingPair, UnpairedReasonCode, UnpairedStudent } from './pairing-types'

export function describePair (ctx: PairingContext, s: number, m: number, choice: number | null): PairingPair {
  const student = ctx.students[s]!
  const mentor = ctx.mentors[m]!
  const compatibility = ctx.compat.score(s, m) / SCORE_SCALE
  const studentRank = (student.ranking ?? []).indexOf(mentor.id) + 1
  const mentorRank = ctx.mentorRankings.positionOf(m, s)
  const explanation: PairExplanation = {
    sharedTags: ctx.compat.sharedTags(s, m),
    goalMatches: ctx.compat.goalMatches(s, m),
    studentRank: studentRank > 0 ? studentRank : null,
    mentorRank: mentorRank < 0 ? null : mentorRank + 1,
    choice,
    compatibility,
    locked: ctx.lockedMentor[s] === m
  }
  return { studentId: student.id, mentorId: mentor.id, score: compatibility, explanation }
}

/** The run that left a student unpaired; it words the message for full mentors. */
export type UnpairedSetting = 'stable' | 'best-fit' | 'late'

export interface SeatsLeft {
  /** A seat outside the reserve is free. */
  regular: (mentor: number) => boolean
  /** Any seat, reserved or not, is free. */
  any: (mentor: number) => boolean
  /** Mentors on the student's preference list, when that list was cut short by listLength. */
  listed?: (mentor: number) => boolean
}

const FULL_MESSAGE: Record<UnpairedSetting, string> = {
  stable: 'Every eligible mentor is full with students they prefer.',
  'best-fit': 'Every eligible mentor is full; placing this student would leave another student unplaced.',
  late: 'Every eligible mentor is full, including the seats kept in reserve.'
}

export function describeUnpaired (ctx: PairingContext, s: number, seats: SeatsLeft, setting: UnpairedSetting): UnpairedStudent {
  const details = { eligibleMentors: 0, forbidden: 0, sameOrganisation: 0 }
  let open = 0
  let unlistedRoom = false
  let reservedRoom = false
  const exclusionOf = ctx.exclusionsFor(s)
  for (let m = 0; m < ctx.mentors.length; m++) {
    if (ctx.capacity[m]! === 0) continue
    open++
    const exclusion = exclusionOf(m)
    if (exclusion === FORBIDDEN) details.forbidden++
    if (exclusion === SAME_ORGANISATION) details.sameOrganisation++
    if (exclusion !== ELIGIBLE) continue
    details.eligibleMentors++
    if (seats.listed !== undefined && !seats.listed(m) && seats.regular(m)) unlistedRoom = true
    else if (!seats.regular(m) && seats.any(m)) reservedRoom = true
  }
  const [reason, message] = open === 0
    ? ['no-active-mentor', 'No active mentor has seats.'] as const
    : reasonAmongOpen(details, unlistedRoom, reservedRoom, setting)
  return { studentId: ctx.students[s]!.id, reason, message, details }
}

function reasonAmongOpen (
  details: UnpairedStudent['details'],
  unlistedRoom: boolean,
  reservedRoom: boolean,
  setting: UnpairedSetting
): [UnpairedReasonCode, string] {
  if (details.eligibleMentors === 0) {
    return ['only-forbidden-or-same-organisation',
      `Every active mentor is excluded: ${details.forbidden} forbidden, ${details.sameOrganisation} from the same organisation.`]
  }
  if (unlistedRoom) {
    return ['preference-list-exhausted', 'Every mentor on this student\'s list is full; mentors beyond the list length still have seats.']
  }
  if (reservedRoom) return ['only-reserved-seats-left', 'The eligible mentors\' free seats are kept in reserve for late students.']
  return ['all-eligible-mentors-full', FULL_MESSAGE[setting]]
}
