import {
  createPairingState, placeLateStudent, repairAfterDeactivation, runPairing, PairingInputError,
  type PairingMentor, type PairingState, type PairingStudent
} from '../../../src/domain/pairing'
import { createRandom } from '../../../src/domain/pairing/seeded-random'
import { randomInput } from './helpers/random-input'
import { randomInt } from './helpers/random-lists'

const student = (id: string, extra: Partial<PairingStudent> = {}): PairingStudent => ({ id, tags: [], ...extra })
const mentor = (id: string, capacity: number, extra: Partial<PairingMentor> = {}): PairingMentor =>
  ({ id, tags: [], capacity, active: true, ...extra })

function stateWith (pairs: Array<[string, string]>, mentors: PairingMentor[], reserveFraction = 0.2): PairingState {
  return {
    students: pairs.map(([s]) => student(s)),
    mentors,
    constraints: { reserveFraction },
    seed: 'late',
    pairs: pairs.map(([studentId, mentorId]) => ({ studentId, mentorId }))
  }
}

const loadOf = (state: PairingState, mentorId: string): number => state.pairs.filter(p => p.mentorId === mentorId).length

describe('placeLateStudent', () => {
  // bob: 5 seats, 1 reserved, 4 taken; cat: 5 seats, 1 reserved, 2 taken
  const state = stateWith([['a', 'bob'], ['b', 'bob'], ['c', 'bob'], ['d', 'bob'], ['e', 'cat'], ['f', 'cat']], [mentor('bob', 5), mentor('cat', 5)])

  it('takes the best mentor with a regular seat before touching the reserve, moving nobody', () => {
    const placed = placeLateStudent(state, student('zoe', { ranking: ['bob', 'cat'] }))
    expect(placed.pair).toMatchObject({ studentId: 'zoe', mentorId: 'cat', explanation: { studentRank: 2, choice: 2 } })
    expect(placed.usedReserve).toBe(false)
    expect(placed.state.pairs).toEqual([...state.pairs, { studentId: 'zoe', mentorId: 'cat' }])
    expect(placed.state.students.map(s => s.id)).toContain('zoe')
    expect(state.pairs).toHaveLength(6)
  })

  it('uses a reserved seat when no regular seat is left, then reports everyone full', () => {
    let current = stateWith([['a', 'bob'], ['b', 'bob'], ['c', 'bob'], ['d', 'bob']], [mentor('bob', 5)])
    const first = placeLateStudent(current, student('zoe'))
    expect(first).toMatchObject({ usedReserve: true, pair: { mentorId: 'bob' } })
    current = first.state
    const second = placeLateStudent(current, student('yan'))
    expect(second.pair).toBeNull()
    expect(second.unpaired).toMatchObject({ studentId: 'yan', reason: 'all-eligible-mentors-full' })
    expect(second.state.pairs).toEqual(current.pairs)
  })

  it('respects forbidden pairs and organisations, and refuses a student already paired', () => {
    const guarded: PairingState = {
      ...state,
      mentors: [mentor('bob', 9, { organisation: 'Acme' }), mentor('cat', 9)],
      constraints: { differentOrganisation: true, forbidden: [['zoe', 'cat']] }
    }
    expect(placeLateStudent(guarded, student('zoe', { organisation: 'acme' })).unpaired?.reason).toBe('only-forbidden-or-same-organisation')
    expect(() => placeLateStudent(state, student('a'))).toThrow(PairingInputError)
  })
})

describe('repairAfterDeactivation', () => {
  it('re-places the mentor\'s mentees without moving anyone else, and says who could not be placed', () => {
    const state = stateWith(
      [['a', 'bob'], ['b', 'bob'], ['c', 'bob'], ['d', 'cat'], ['e', 'dan']],
      [mentor('bob', 3), mentor('cat', 2, { tags: ['x'] }), mentor('dan', 2)],
      0
    )
    state.students[0]!.tags = ['x']
    state.constraints.forbidden = [['b', 'cat'], ['c', 'cat']]
    const repair = repairAfterDeactivation(state, 'bob')
    const moves = repair.moved.map(m => [m.studentId, m.fromMentorId, m.toMentorId])
    expect(moves).toContainEqual(['a', 'bob', 'cat'])
    expect(moves).toHaveLength(2)
    expect(repair.unplaced).toHaveLength(1)
    expect(repair.unplaced[0]!.reason).toBe('all-eligible-mentors-full')
    const movedToDan = repair.moved.find(m => m.toMentorId === 'dan')!.studentId
    expect(['b', 'c']).toContain(movedToDan)
    expect(repair.state.pairs).toEqual(expect.arrayContaining([{ studentId: 'd', mentorId: 'cat' }, { studentId: 'e', mentorId: 'dan' }]))
    expect(repair.state.pairs).toHaveLength(4)
    expect(repair.state.pairs.some(p => p.mentorId === 'bob')).toBe(false)
    expect(repair.state.mentors.find(m => m.id === 'bob')!.active).toBe(false)
  })

  it('keeps every other pair and every capacity over random courses and event sequences', () => {
    const random = createRandom('late-random')
    for (let round = 0; round < 60; round++) {
      const input = randomInput(random, { students: 20, mentors: 5, maxCapacity: 8 }, round % 2 === 0 ? 'stable' : 'best-fit')
      let state = createPairingState(input, runPairing(input))
      for (let event = 0; event < 8; event++) {
        const before = state.pairs
        if (random() < 0.7) {
          const placed = placeLateStudent(state, student(`late-${event}`, { tags: ['data'], ranking: [state.mentors[0]!.id] }))
          expect(placed.state.pairs.slice(0, before.length)).toEqual(before)
          state = placed.state
        } else {
          const gone = state.mentors[randomInt(random, state.mentors.length)]!.id
          const repair = repairAfterDeactivation(state, gone)
          expect(repair.state.pairs).toEqual(expect.arrayContaining(before.filter(p => p.mentorId !== gone)))
          expect(repair.moved.length + repair.unplaced.length).toBe(before.filter(p => p.mentorId === gone).length)
          state = repair.state
        }
        for (const m of state.mentors) expect(loadOf(state, m.id)).toBeLessThanOrEqual(m.active ? m.capacity : 0)
      }
    }
  })
})
