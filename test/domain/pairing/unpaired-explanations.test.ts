import { createUnpairedDescriber, type UnpairedSetting } from '../../../src/domain/pairing/explanations'
import { buildPairingContext, ELIGIBLE, FORBIDDEN, SAME_ORGANISATION, type PairingContext } from '../../../src/domain/pairing/pairing-context'
import { createRandom } from '../../../src/domain/pairing/seeded-random'
import { randomInput } from './helpers/random-input'
import { randomInt, shuffle } from './helpers/random-lists'

/** The reason for one unpaired student, found the plain way: by looking at every mentor. */
function oracle (ctx: PairingContext, s: number, load: Int32Array, listed: readonly number[] | undefined) {
  const regular = (m: number): boolean => load[m]! < ctx.capacity[m]! - ctx.reserve[m]!
  const any = (m: number): boolean => load[m]! < ctx.capacity[m]!
  const details = { eligibleMentors: 0, forbidden: 0, sameOrganisation: 0 }
  let open = 0
  let unlistedRoom = false
  let reservedRoom = false
  const exclusionOf = ctx.exclusionsFor(s)
  for (let m = 0; m < ctx.mentors.length; m++) {
    if (ctx.capacity[m] === 0) continue
    open++
    const exclusion = exclusionOf(m)
    if (exclusion === FORBIDDEN) details.forbidden++
    if (exclusion === SAME_ORGANISATION) details.sameOrganisation++
    if (exclusion !== ELIGIBLE) continue
    details.eligibleMentors++
    if (listed !== undefined && !listed.includes(m) && regular(m)) unlistedRoom = true
    else if (!regular(m) && any(m)) reservedRoom = true
  }
  return { open, details, unlistedRoom, reservedRoom }
}

const REASON_OF = (o: ReturnType<typeof oracle>): string =>
  o.open === 0 ? 'no-active-mentor'
    : o.details.eligibleMentors === 0 ? 'only-forbidden-or-same-organisation'
      : o.unlistedRoom ? 'preference-list-exhausted'
        : o.reservedRoom ? 'only-reserved-seats-left'
          : 'all-eligible-mentors-full'

describe('why a student was left unpaired', () => {
  it('is what looking at every mentor says, on random courses, also after loads change (400 courses)', () => {
    const random = createRandom('unpaired-explanations')
    for (let round = 0; round < 400; round++) {
      const input = randomInput(random, { students: 5 + (round % 25), mentors: 1 + (round % 12), maxCapacity: 4 })
      const ctx = buildPairingContext(input)
      const load = Int32Array.from(ctx.capacity, (c) => randomInt(random, c + 1))
      const setting = (['stable', 'best-fit', 'late'] as UnpairedSetting[])[round % 3] as UnpairedSetting
      const describer = createUnpairedDescriber(ctx, { regular: (m) => load[m]! < ctx.capacity[m]! - ctx.reserve[m]!, any: (m) => load[m]! < ctx.capacity[m]! }, setting)
      for (let change = 0; change < 3; change++) {
        for (let s = 0; s < ctx.students.length; s++) {
          const mentors = Array.from({ length: ctx.mentors.length }, (_, m) => m)
          const listed = round % 2 === 0 ? shuffle(random, mentors).slice(0, randomInt(random, mentors.length + 1)) : undefined
          const expected = oracle(ctx, s, load, listed)
          const described = describer.describe(s, listed)
          expect({ round, s, reason: described.reason, details: described.details }).toEqual({ round, s, reason: REASON_OF(expected), details: expected.details })
        }
        // Seats are taken (or given back): the describer hears of each mentor whose load moved.
        for (let m = 0; m < ctx.mentors.length; m++) {
          if (random() < 0.5) continue
          load[m] = randomInt(random, ctx.capacity[m]! + 1)
          describer.refresh(m)
        }
      }
    }
  })
})
