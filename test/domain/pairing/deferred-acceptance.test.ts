import { deferredAcceptance } from '../../../src/domain/pairing/deferred-acceptance'
import { countBlockingPairs, mentorLoads } from '../../../src/domain/pairing/matching-metrics'
import type { PreferenceLists } from '../../../src/domain/pairing/preference-lists'
import { createRandom } from '../../../src/domain/pairing/seeded-random'
import { randomMarket, shuffle, type RandomMarket } from './helpers/random-lists'
import { allMatchings, blockingPairsNaive, mentorProposing, outcomeRank } from './helpers/stable-oracles'

function expectValid ({ lists, capacity }: RandomMarket, assigned: Int32Array): void {
  const load = mentorLoads(lists, assigned)
  load.forEach((l, m) => expect(l).toBeLessThanOrEqual(capacity[m]!))
  assigned.forEach((e, s) => {
    if (e >= 0) expect(e >= lists.start[s]! && e < lists.start[s + 1]!).toBe(true)
  })
}

const mentorOf = (lists: PreferenceLists, assigned: Int32Array, s: number): number =>
  assigned[s]! >= 0 ? lists.mentor[assigned[s]!]! : -1

describe('deferredAcceptance', () => {
  it('holds a rejection chain that comes back to its first mentor within capacity', () => {
    // x and z want A (1 seat); A prefers z > y > x. y wants B first; B prefers x > y.
    const lists: PreferenceLists = {
      studentCount: 3,
      mentorCount: 2,
      start: Int32Array.from([0, 2, 4, 5]),
      mentor: Int32Array.from([0, 1, 1, 0, 0]),
      weight: new Int32Array(5),
      mentorKey: Float64Array.from([2, 0, 1, 1, 0])
    }
    const assigned = deferredAcceptance(lists, Int32Array.from([1, 1]))
    expect(Array.from(assigned, (_, s) => mentorOf(lists, assigned, s))).toEqual([1, -1, 0])
  })

  it('is stable, valid and student-optimal on 600 tiny markets (brute force)', () => {
    const random = createRandom('da-brute')
    let withSeveral = 0
    for (let round = 0; round < 600; round++) {
      const shape = { students: 3 + (round % 5), mentors: 2 + (round % 3), minList: 1, maxList: 4, maxCapacity: 2 }
      const market = randomMarket(random, shape)
      const { lists, capacity } = market
      const assigned = deferredAcceptance(lists, capacity)
      expectValid(market, assigned)
      expect(blockingPairsNaive(lists, capacity, assigned)).toEqual([])
      expect(countBlockingPairs(lists, capacity, assigned)).toBe(0)
      const stable = allMatchings(lists, capacity).filter(m => blockingPairsNaive(lists, capacity, m).length === 0)
      expect(stable.some(m => m.every((e, s) => e === assigned[s]))).toBe(true)
      if (stable.length > 1) withSeveral++
      for (const other of stable) {
        for (let s = 0; s < lists.studentCount; s++) {
          expect(outcomeRank(lists, assigned, s)).toBeLessThanOrEqual(outcomeRank(lists, other, s))
        }
      }
    }
    expect(withSeveral).toBeGreaterThan(10)
  })

  it('agrees with mentor-proposing acceptance on the lattice facts, on 200 larger markets', () => {
    const random = createRandom('da-lattice')
    for (let round = 0; round < 200; round++) {
      const market = randomMarket(random, { students: 40, mentors: 8, maxList: 5, maxCapacity: 6 })
      const { lists, capacity } = market
      const studentOptimal = deferredAcceptance(lists, capacity)
      const mentorOptimal = mentorProposing(lists, capacity)
      expect(blockingPairsNaive(lists, capacity, studentOptimal)).toEqual([])
      expect(blockingPairsNaive(lists, capacity, mentorOptimal)).toEqual([])
      const loadsA = mentorLoads(lists, studentOptimal)
      const loadsB = mentorLoads(lists, mentorOptimal)
      // rural hospitals theorem: same students matched, same fill, same set at under-subscribed mentors
      expect(loadsA).toEqual(loadsB)
      for (let s = 0; s < lists.studentCount; s++) {
        expect(studentOptimal[s]! >= 0).toBe(mentorOptimal[s]! >= 0)
        expect(outcomeRank(lists, studentOptimal, s)).toBeLessThanOrEqual(outcomeRank(lists, mentorOptimal, s))
        const m = mentorOf(lists, studentOptimal, s)
        if (m >= 0 && loadsA[m]! < capacity[m]!) expect(mentorOf(lists, mentorOptimal, s)).toBe(m)
      }
    }
  })

  it('does not depend on the order of the students', () => {
    const random = createRandom('da-order')
    for (let round = 0; round < 100; round++) {
      const { lists, capacity } = randomMarket(random, { students: 30, mentors: 6, maxList: 4, maxCapacity: 5 })
      const order = shuffle(random, Array.from({ length: lists.studentCount }, (_, s) => s))
      const start = [0]
      const picks: number[] = []
      for (const s of order) {
        for (let e = lists.start[s]!; e < lists.start[s + 1]!; e++) picks.push(e)
        start.push(picks.length)
      }
      const permuted: PreferenceLists = {
        ...lists,
        start: Int32Array.from(start),
        mentor: Int32Array.from(picks, e => lists.mentor[e]!),
        weight: Int32Array.from(picks, e => lists.weight[e]!),
        mentorKey: Float64Array.from(picks, e => lists.mentorKey[e]!)
      }
      const original = deferredAcceptance(lists, capacity)
      const reordered = deferredAcceptance(permuted, capacity)
      order.forEach((s, i) => expect(mentorOf(permuted, reordered, i)).toBe(mentorOf(lists, original, s)))
    }
  })
})
