import { SCORE_SCALE } from './compatibility'
import { ELIGIBLE, type PairingContext } from './pairing-context'
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
}

const FULL_MESSAGE: Record<UnpairedSetting, string> = {
  stable: 'Every eligible mentor is full with students they prefer.',
  'best-fit': 'Every eligible mentor is full; placing this student would leave another student unplaced.',
  late: 'Every eligible mentor is full, including the seats kept in reserve.'
}

/** How many mentors, among those with seats, are in each state, overall and per organisation. */
class SeatCounts {
  readonly inOrganisation: Int32Array
  total = 0
  constructor (organisations: number) { this.inOrganisation = new Int32Array(organisations) }
  add (organisation: number, by: number): void {
    this.total += by
    if (organisation >= 0) this.inOrganisation[organisation]! += by
  }
  /** Of `mentors` (the student's excluded ones), how many are counted here. */
  excluded (organisation: number, forbidden: ReadonlySet<number> | undefined, member: (m: number) => boolean, mentorOrganisation: Int32Array): number {
    let n = organisation >= 0 ? this.inOrganisation[organisation] ?? 0 : 0
    for (const m of forbidden ?? []) if (member(m) && (organisation < 0 || mentorOrganisation[m] !== organisation)) n++
    return n
  }
}

/**
 * Says why students were left unpaired, each in time linear in what excludes them (their forbidden mentors, their
 * list) rather than in the number of mentors: counts of mentors with a free regular seat and with only a reserved one
 * are kept overall and per organisation, and `refresh` updates them when a mentor's load changes.
 */
export function createUnpairedDescriber (ctx: PairingContext, seats: SeatsLeft, setting: UnpairedSetting) {
  const mentorOrganisation = ctx.mentorOrganisation
  const organisations = mentorOrganisation.reduce((max, o) => Math.max(max, o + 1), 0)
  const open = new SeatCounts(organisations)
  const regular = new SeatCounts(organisations)
  const reservedOnly = new SeatCounts(organisations)
  /** 0: no seat at all; 1: a regular seat; 2: only reserved seats; -1: the mentor has no seats (not counted). */
  const state = new Int8Array(ctx.mentors.length)
  const stateOf = (m: number): number => ctx.capacity[m]! === 0 ? -1 : seats.regular(m) ? 1 : seats.any(m) ? 2 : 0
  const count = (m: number, by: number): void => {
    const org = mentorOrganisation[m]!
    if (state[m]! >= 0) open.add(org, by)
    if (state[m] === 1) regular.add(org, by)
    if (state[m] === 2) reservedOnly.add(org, by)
  }
  for (let m = 0; m < ctx.mentors.length; m++) {
    state[m] = stateOf(m)
    count(m, 1)
  }

  return {
    /** After mentor `m`'s load changed. */
    refresh: (m: number): void => {
      count(m, -1)
      state[m] = stateOf(m)
      count(m, 1)
    },
    /** `listed`: the mentors on the student's preference list, when listLength cut it short. */
    describe: (s: number, listed?: ArrayLike<number>): UnpairedStudent => {
      const forbidden = ctx.forbiddenFor(s)
      const organisation = ctx.separatedOrganisationOf(s)
      const excludedFrom = (counts: SeatCounts, member: (m: number) => boolean): number =>
        counts.excluded(organisation, forbidden, member, mentorOrganisation)
      const details = { eligibleMentors: 0, forbidden: 0, sameOrganisation: 0 }
      for (const m of forbidden ?? []) if (state[m]! >= 0) details.forbidden++
      details.sameOrganisation = excludedFrom(open, (m) => state[m]! >= 0) - details.forbidden
      details.eligibleMentors = open.total - details.forbidden - details.sameOrganisation
      const exclusionOf = ctx.exclusionsFor(s)
      let listedWithRoom = 0
      for (let i = 0; listed !== undefined && i < listed.length; i++) {
        const m = listed[i]!
        if (state[m] === 1 && exclusionOf(m) === ELIGIBLE) listedWithRoom++
      }
      const unlistedRoom = listed !== undefined && regular.total - excludedFrom(regular, (m) => state[m] === 1) - listedWithRoom > 0
      const reservedRoom = reservedOnly.total - excludedFrom(reservedOnly, (m) => state[m] === 2) > 0
      const [reason, message] = open.total === 0
        ? ['no-active-mentor', 'No active mentor has seats.'] as const
        : reasonAmongOpen(details, unlistedRoom, reservedRoom, setting)
      return { studentId: ctx.students[s]!.id, reason, message, details }
    }
  }
}

export type UnpairedDescriber = ReturnType<typeof createUnpairedDescriber>

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
