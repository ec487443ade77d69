import { bestFitAssignment } from '../../../src/domain/pairing/best-fit-assignment'
import { deferredAcceptance } from '../../../src/domain/pairing/deferred-acceptance'
import { maxPlacements } from '../../../src/domain/pairing/max-placements'
import { mentorLoads } from '../../../src/domain/pairing/matching-metrics'
import { createRandom } from '../../../src/domain/pairing/seeded-random'
import { bruteForceBest, minCostMaxFlow, objectiveOf, type SeatCost } from './helpers/flow-oracle'
import { randomMarket, shuffle, type RandomMarket } from './helpers/random-lists'

function solve ({ lists, capacity }: RandomMarket, seatCost?: SeatCost, order?: Int32Array): Int32Array {
  const assigned = bestFitAssignment(lists, capacity, { seatCost, order })
  mentorLoads(lists, assigned).forEach((load, m) => expect(load).toBeLessThanOrEqual(capacity[m]!))
  assigned.forEach((e, s) => { if (e >= 0) expect(e >= lists.start[s]! && e < lists.start[s + 1]!).toBe(true) })
  return assigned
}

const convex: SeatCost = (m, seat) => seat * seat * 300 + (m % 3) * 100

describe('bestFitAssignment', () => {
  it('matches the brute-force optimum on 500 tiny markets, with and without seat costs', () => {
    const random = createRandom('best-fit-brute')
    for (let round = 0; round < 500; round++) {
      const market = randomMarket(random, { students: 2 + (round % 6), mentors: 1 + (round % 3), maxList: 3, maxCapacity: 3 })
      const seatCost = round % 2 === 0 ? undefined : convex
      expect(objectiveOf(market.lists, solve(market, seatCost), seatCost)).toEqual(bruteForceBest(market.lists, market.capacity, seatCost))
    }
  })

  it('matches a textbook min-cost max-flow on 200 medium markets, tight and loose', () => {
    const random = createRandom('best-fit-flow')
    for (let round = 0; round < 200; round++) {
      const market = randomMarket(random, {
        students: 30, mentors: 6, maxList: 4, maxCapacity: round % 2 === 0 ? 4 : 9, weightLevels: round % 3 === 0 ? 1000 : 3
      })
      const seatCost = round % 4 === 1 ? convex : undefined
      const expected = minCostMaxFlow(market.lists, market.capacity, seatCost)
      expect(objectiveOf(market.lists, solve(market, seatCost), seatCost)).toEqual(expected)
      expect(maxPlacements(market.lists, market.capacity)).toBe(expected.placed)
    }
  })

  it('reaches the same optimum whatever the insertion order', () => {
    const random = createRandom('best-fit-order')
    for (let round = 0; round < 100; round++) {
      const market = randomMarket(random, { students: 25, mentors: 5, maxList: 4, maxCapacity: 5 })
      const order = Int32Array.from(shuffle(random, Array.from({ length: 25 }, (_, s) => s)))
      expect(objectiveOf(market.lists, solve(market, undefined, order))).toEqual(objectiveOf(market.lists, solve(market)))
    }
  })

  it('places at least as many as the stable matching, and no less weight when it places as many', () => {
    const random = createRandom('best-fit-vs-stable')
    let samePlaced = 0
    for (let round = 0; round < 300; round++) {
      const market = randomMarket(random, { students: 30, mentors: 6, maxList: 4, maxCapacity: 6 })
      const best = objectiveOf(market.lists, solve(market))
      const stable = objectiveOf(market.lists, deferredAcceptance(market.lists, market.capacity))
      expect(best.placed).toBeGreaterThanOrEqual(stable.placed)
      if (best.placed === stable.placed) {
        samePlaced++
        expect(best.value).toBeGreaterThanOrEqual(stable.value)
      }
    }
    expect(samePlaced).toBeGreaterThan(50)
  })
})
