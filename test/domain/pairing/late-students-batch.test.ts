import {
  createPairingState, placeLateStudent, placeLateStudents, runPairing, PairingInputError,
  type PairingState, type PairingStudent, type StudentMentorPair
} from '../../../src/domain/pairing'
import { createRandom } from '../../../src/domain/pairing/seeded-random'
import { randomInput } from './helpers/random-input'
import { randomInt, shuffle } from './helpers/random-lists'

type Outcome = { state: PairingState, placements: Array<Omit<ReturnType<typeof placeLateStudent>, 'state'>> } | { threw: unknown }

/** placeLateStudent for each student in turn: what placeLateStudents must answer. */
function oneByOne (state: PairingState, students: readonly PairingStudent[]): Outcome {
  try {
    const placements: Array<Omit<ReturnType<typeof placeLateStudent>, 'state'>> = []
    let current = state
    for (const student of students) {
      const { state: next, ...placement } = placeLateStudent(current, student)
      placements.push(placement)
      current = next
    }
    return { state: current, placements }
  } catch (threw) {
    return { threw }
  }
}

function batch (state: PairingState, students: readonly PairingStudent[]): Outcome {
  try {
    return placeLateStudents(state, students)
  } catch (threw) {
    return { threw }
  }
}

/**
 * A published course after changes: the run's unpaired students and newcomers (some locked, some forbidden a mentor)
 * to place, mentors with more seats or none, and sometimes a lock that cannot hold (one by one throws for it).
 */
function randomCase (random: () => number, round: number): { state: PairingState, students: PairingStudent[] } {
  const shape = { students: 5 + (round % 40), mentors: 1 + (round % 9), maxCapacity: 5 }
  const input = randomInput(random, shape, round % 2 === 0 ? 'stable' : 'best-fit')
  const published = createPairingState(input, runPairing(input))
  const paired = new Set(published.pairs.map((p) => p.studentId))
  const newcomers = randomInput(random, { ...shape, students: randomInt(random, 30) }).students.map((s) => ({ ...s, id: `late-${s.id}` }))
  const mentors = published.mentors.map((m) => ({
    ...m,
    capacity: random() < 0.6 ? m.capacity + randomInt(random, 6) : m.capacity,
    active: random() < 0.1 ? !m.active : m.active
  }))
  const students = shuffle(random, [...published.students.filter((s) => !paired.has(s.id)), ...newcomers])
  const { constraints } = published
  // Only the newcomers' own constraints are new: the run's locks and forbidden pairs stay as they were.
  const locked: StudentMentorPair[] = [...(constraints.locked ?? [])]
  const forbidden: StudentMentorPair[] = [...(constraints.forbidden ?? [])]
  for (const s of newcomers) {
    const mentor = mentors[randomInt(random, mentors.length)]!
    if (random() < 0.2) forbidden.push([s.id, mentor.id])
    else if (random() < 0.15) {
      // Valid locks, though often more of them to one mentor than it has seats; one in ten is invalid.
      const valid = mentor.active && mentor.capacity > 0 && !forbidden.some(([a, b]) => a === s.id && b === mentor.id) &&
        !(constraints.differentOrganisation === true && s.organisation !== undefined && s.organisation?.toLowerCase() === mentor.organisation?.toLowerCase())
      if (valid || random() < 0.1) locked.push([s.id, mentor.id])
    }
  }
  const state: PairingState = {
    ...published,
    students: [...published.students, ...(random() < 0.5 ? newcomers : [])],
    mentors,
    constraints: { ...constraints, locked, forbidden }
  }
  return { state, students }
}

describe('placeLateStudents', () => {
  it('answers what placeLateStudent answers for each student in turn (600 random courses)', () => {
    const random = createRandom('late-batch')
    let placed = 0
    let unplaced = 0
    let reserve = 0
    let threw = 0
    let lockedRuns = 0
    let overfullLocks = 0
    for (let round = 0; round < 600; round++) {
      const { state, students } = randomCase(random, round)
      const seats = new Map(state.mentors.map((m) => [m.id, m.active ? m.capacity : 0]))
      const toPlace = new Set(students.map((s) => s.id))
      const locks = new Map<string, number>()
      for (const [s, m] of state.constraints.locked ?? []) if (toPlace.has(s)) locks.set(m, (locks.get(m) ?? 0) + 1)
      if ([...locks].some(([m, n]) => n > (seats.get(m) ?? 0))) overfullLocks++
      const expected = oneByOne(state, students)
      const actual = batch(state, students)
      if ('threw' in expected) {
        threw++
        expect(actual).toEqual({ threw: expect.any(PairingInputError) })
        continue
      }
      expect(actual).toEqual(expected)
      placed += expected.placements.filter((p) => p.pair !== null).length
      unplaced += expected.placements.filter((p) => p.unpaired !== null).length
      reserve += expected.placements.filter((p) => p.usedReserve).length
      lockedRuns += expected.placements.some((p) => p.pair?.explanation.locked === true) ? 1 : 0
    }
    // The cases cover every outcome.
    expect(placed).toBeGreaterThan(1000)
    expect(unplaced).toBeGreaterThan(300)
    expect(reserve).toBeGreaterThan(20)
    expect(threw).toBeGreaterThan(5)
    expect(lockedRuns).toBeGreaterThan(20)
    expect(overfullLocks).toBeGreaterThan(20)
  })

  it('leaves the students locked to a mentor beyond its seats unpaired, as one by one does', () => {
    const state: PairingState = {
      students: [],
      mentors: [{ id: 'bob', tags: [], capacity: 2, active: true }, { id: 'cat', tags: [], capacity: 5, active: true }],
      constraints: { reserveFraction: 0, locked: [['a', 'bob'], ['b', 'bob'], ['c', 'bob']] },
      seed: 'locks',
      pairs: []
    }
    const students = ['a', 'b', 'c', 'd'].map((id) => ({ id, tags: [] }))
    const result = placeLateStudents(state, students)
    expect(result).toEqual(oneByOne(state, students))
    expect(result.placements.map((p) => p.pair?.mentorId ?? p.unpaired?.reason)).toEqual(['bob', 'bob', 'all-eligible-mentors-full', 'cat'])
  })

  it('refuses a student already paired or listed twice, placing nobody', () => {
    const state: PairingState = {
      students: [{ id: 'a', tags: [] }], mentors: [{ id: 'bob', tags: [], capacity: 5, active: true }], constraints: {}, seed: 1, pairs: [{ studentId: 'a', mentorId: 'bob' }]
    }
    expect(() => placeLateStudents(state, [{ id: 'z', tags: [] }, { id: 'a', tags: [] }])).toThrow(PairingInputError)
    expect(() => placeLateStudents(state, [{ id: 'z', tags: [] }, { id: 'z', tags: [] }])).toThrow(/listed twice/)
    expect(placeLateStudents(state, [])).toEqual({ state, placements: [] })
  })
})
