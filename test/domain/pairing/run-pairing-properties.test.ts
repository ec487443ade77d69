import { runPairing, type PairingInput } from '../../../src/domain/pairing'
import { createRandom } from '../../../src/domain/pairing/seeded-random'
import { maxPlacements } from '../../../src/domain/pairing/max-placements'
import { randomInput } from './helpers/random-input'
import { shuffle } from './helpers/random-lists'
import { expectConstraintsHold, residualMarket } from './helpers/result-checks'
import { allMatchings, blockingPairsNaive, outcomeRank } from './helpers/stable-oracles'

const withMethod = (input: PairingInput, method: PairingInput['method']): PairingInput => ({ ...input, method })

describe('runPairing on random courses', () => {
  it('respects every constraint, with no blocking pair for stable and maximum placements for best fit (300 courses)', () => {
    const random = createRandom('run-properties')
    let comparable = 0
    for (let round = 0; round < 300; round++) {
      const input = randomInput(random, { students: 4 + (round % 30), mentors: 1 + (round % 7), maxCapacity: 6 })
      const stable = runPairing(withMethod(input, 'stable'))
      const bestFit = runPairing(withMethod(input, 'best-fit'))
      const balanced = runPairing({ ...withMethod(input, 'best-fit'), balanceLoad: true })
      for (const [result, method] of [[stable, 'stable'], [bestFit, 'best-fit'], [balanced, 'best-fit']] as const) {
        expectConstraintsHold(withMethod(input, method), result)
      }
      const market = residualMarket(input, stable)
      expect(stable.blockingPairs).toBe(0)
      expect(blockingPairsNaive(market.lists, market.seats, market.assigned)).toEqual([])
      const locked = input.constraints?.locked?.length ?? 0
      const most = maxPlacements(market.lists, market.seats) + locked
      expect(bestFit.pairs.length).toBe(most)
      expect(balanced.pairs.length).toBe(most)
      expect(bestFit.pairs.length).toBeGreaterThanOrEqual(stable.pairs.length)
      if (bestFit.pairs.length === stable.pairs.length) {
        comparable++
        expect(bestFit.totalCompatibility).toBeGreaterThanOrEqual(stable.totalCompatibility - 1e-9)
      }
    }
    expect(comparable).toBeGreaterThan(100)
  })

  it('returns the student-optimal stable matching of the course (brute force, 200 small courses)', () => {
    const random = createRandom('run-optimal')
    for (let round = 0; round < 200; round++) {
      const input = randomInput(random, { students: 3 + (round % 4), mentors: 2 + (round % 2), maxCapacity: 2 })
      const { lists, seats, assigned } = residualMarket(input, runPairing(input))
      for (const other of allMatchings(lists, seats)) {
        if (blockingPairsNaive(lists, seats, other).length > 0) continue
        for (let s = 0; s < lists.studentCount; s++) {
          expect(outcomeRank(lists, assigned, s)).toBeLessThanOrEqual(outcomeRank(lists, other, s))
        }
      }
    }
  })

  it('gives the same result for the same seed, whatever the order of the input arrays', () => {
    const random = createRandom('run-determinism')
    for (let round = 0; round < 60; round++) {
      const input = randomInput(random, { students: 25, mentors: 6, maxCapacity: 5 }, round % 2 === 0 ? 'stable' : 'best-fit')
      const constraints = input.constraints!
      const shuffled: PairingInput = {
        ...input,
        students: shuffle(random, [...input.students]),
        mentors: shuffle(random, [...input.mentors]),
        constraints: { ...constraints, locked: shuffle(random, [...constraints.locked!]), forbidden: shuffle(random, [...constraints.forbidden!]) }
      }
      expect(runPairing(shuffled)).toEqual(runPairing(input))
      expect(runPairing(input)).toEqual(runPairing(input))
    }
  })

  it('lets the seed matter only through ties', () => {
    const random = createRandom('run-seeds')
    let differed = 0
    for (let round = 0; round < 30; round++) {
      const input = randomInput(random, { students: 12, mentors: 4, maxCapacity: 4 })
      const studentIds = input.students.map(s => s.id)
      const mentorIds = input.mentors.map(m => m.id)
      // complete rankings on both sides leave nothing to chance
      const strict: PairingInput = {
        ...input,
        students: input.students.map(s => ({ ...s, ranking: shuffle(random, [...mentorIds]) })),
        mentors: input.mentors.map(m => ({ ...m, ranking: shuffle(random, [...studentIds]) }))
      }
      expect(runPairing({ ...strict, seed: 'one' })).toEqual(runPairing({ ...strict, seed: 'two' }))
      const fit = (seed: string) => runPairing({ ...withMethod(input, 'best-fit'), seed })
      expect(fit('one').totalCompatibility).toBeCloseTo(fit('two').totalCompatibility, 9)
      // no tags and no rankings: everything is a tie
      const blank = { ...strict, students: strict.students.map(s => ({ id: s.id, tags: [] })), mentors: strict.mentors.map(m => ({ ...m, tags: [], ranking: undefined })) }
      if (JSON.stringify(runPairing({ ...blank, seed: 'one' }).pairs) !== JSON.stringify(runPairing({ ...blank, seed: 'two' }).pairs)) differed++
    }
    expect(differed).toBeGreaterThan(10)
  })
})
