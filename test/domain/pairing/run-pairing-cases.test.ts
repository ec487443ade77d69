import { PairingInputError, runPairing, type PairingInput, type PairingMentor, type PairingStudent } from '../../../src/domain/pairing'

const student = (id: string, extra: Partial<PairingStudent> = {}): PairingStudent => ({ id, tags: [], ...extra })
const mentor = (id: string, capacity: number, extra: Partial<PairingMentor> = {}): PairingMentor =>
  ({ id, tags: [], capacity, active: true, ...extra })
const course = (students: PairingStudent[], mentors: PairingMentor[], extra: Partial<PairingInput> = {}): PairingInput =>
  ({ students, mentors, seed: 'seed', method: 'stable', ...extra, constraints: { reserveFraction: 0, ...extra.constraints } })
const reasonOf = (input: PairingInput, studentId: string): string | undefined =>
  runPairing(input).unpaired.find(u => u.studentId === studentId)?.reason

describe('runPairing explanations', () => {
  it('explains a pair by shared tags, goals, both rankings and the list position', () => {
    const input = course(
      [student('ann', { tags: ['Finance', 'data'], goals: 'grow in leadership', ranking: ['bob', 'cat'] })],
      [mentor('bob', 1, { tags: ['finance', 'leadership', 'ops'], ranking: ['zed', 'ann'] }), mentor('cat', 1)]
    )
    const [pair] = runPairing(input).pairs
    expect(pair).toEqual({
      studentId: 'ann',
      mentorId: 'bob',
      score: pair!.explanation.compatibility,
      explanation: {
        sharedTags: ['finance'], goalMatches: ['leadership'], studentRank: 1, mentorRank: 2, choice: 1, locked: false,
        compatibility: Math.round((0.9 * 1 / 4 + 0.1 * 1 / 3) * 1e6) / 1e6
      }
    })
  })

  it('follows the student ranking, then compatibility, and marks locked pairs', () => {
    const input = course(
      [student('ann', { tags: ['ops'] }), student('ben', { ranking: ['cat'] }), student('cyd')],
      [mentor('bob', 2, { tags: ['ops'] }), mentor('cat', 2)],
      { constraints: { locked: [['cyd', 'cat']] } }
    )
    const byStudent = Object.fromEntries(runPairing(input).pairs.map(p => [p.studentId, p]))
    expect(byStudent.ann!.mentorId).toBe('bob')
    expect(byStudent.ben!.mentorId).toBe('cat')
    expect(byStudent.ben!.explanation.studentRank).toBe(1)
    expect(byStudent.cyd!.explanation).toMatchObject({ locked: true, choice: null })
  })
})

describe('runPairing unpaired reasons', () => {
  it('reports that no mentor is active', () => {
    expect(reasonOf(course([student('ann')], [mentor('bob', 3, { active: false })]), 'ann')).toBe('no-active-mentor')
  })

  it('reports when only forbidden or same-organisation mentors remain', () => {
    const input = course(
      [student('ann', { organisation: 'Acme' })],
      [mentor('bob', 3, { organisation: ' acme ' }), mentor('cat', 3)],
      { constraints: { differentOrganisation: true, forbidden: [['ann', 'cat']] } }
    )
    expect(runPairing(input).unpaired).toEqual([{
      studentId: 'ann',
      reason: 'only-forbidden-or-same-organisation',
      message: expect.stringContaining('1 forbidden, 1 from the same organisation'),
      details: { eligibleMentors: 0, forbidden: 1, sameOrganisation: 1 }
    }])
  })

  it('reports full mentors, reserved seats and a short list', () => {
    const three = [student('ann', { tags: ['x'] }), student('ben'), student('cyd')]
    expect(reasonOf(course(three, [mentor('bob', 2, { tags: ['x'] })]), 'cyd')).toBe('all-eligible-mentors-full')
    const reserved = course(three, [mentor('bob', 4, { tags: ['x'] })], { constraints: { reserveFraction: 0.5 } })
    expect(runPairing(reserved).unpaired.map(u => u.reason)).toEqual(['only-reserved-seats-left'])
    const ranked = three.map(s => ({ ...s, ranking: ['bob'] }))
    const short = course(ranked, [mentor('bob', 1), mentor('cat', 5)], { listLength: 1, method: 'best-fit' })
    expect(runPairing(short).unpaired.map(u => u.reason)).toEqual(['preference-list-exhausted', 'preference-list-exhausted'])
    expect(runPairing({ ...short, listLength: undefined }).unpaired).toEqual([])
  })
})

describe('runPairing capacity options', () => {
  it('keeps 10% of each mentor\'s seats by default, rounded down', () => {
    const students = Array.from({ length: 35 }, (_, i) => student(`s${i}`))
    const result = runPairing({ ...course(students, [mentor('bob', 25), mentor('cat', 9)]), constraints: {} })
    expect(result.reserved).toEqual({ bob: 2, cat: 0 })
    expect(result.loads).toEqual({ bob: 23, cat: 9 })
    expect(result.unpaired.map(u => u.reason)).toEqual(Array(3).fill('only-reserved-seats-left'))
  })

  it('lets a mentor set their own reserve', () => {
    const students = Array.from({ length: 10 }, (_, i) => student(`s${i}`))
    const result = runPairing({ ...course(students, [mentor('bob', 6, { reserve: 3 }), mentor('cat', 6, { reserve: 0 })]), constraints: {} })
    expect(result.reserved).toEqual({ bob: 3, cat: 0 })
    expect(result.loads).toEqual({ bob: 3, cat: 6 })
  })

  it('balances load across mentors in best fit when asked, trading compatibility for it', () => {
    const students = Array.from({ length: 6 }, (_, i) => student(`s${i}`, { tags: ['a', 'b'] }))
    // compatibility 0.9 with bob, 0.45 with cat
    const mentors = [mentor('bob', 6, { tags: ['a', 'b'] }), mentor('cat', 6, { tags: ['a'] })]
    const fit = (extra: Partial<PairingInput>) => runPairing(course(students, mentors, { method: 'best-fit', ...extra }))
    expect(fit({}).loads).toEqual({ bob: 6, cat: 0 })
    // seat k (from 1) costs weight * (k - 1) / 6: a 4th mentee at bob costs 1.5, a 3rd at cat 1.0
    expect(fit({ balanceLoad: true, balanceWeight: 3 }).loads).toEqual({ bob: 3, cat: 3 })
    expect(fit({ balanceLoad: true, balanceWeight: 1 }).loads).toEqual({ bob: 4, cat: 2 })
    expect(fit({ balanceLoad: true }).totalCompatibility).toBeCloseTo(6 * 0.9, 6)
  })

  it('splits students evenly between equally good mentors when balancing', () => {
    const students = Array.from({ length: 8 }, (_, i) => student(`s${i}`))
    const mentors = [mentor('bob', 8), mentor('cat', 8)]
    expect(runPairing(course(students, mentors, { method: 'best-fit', balanceLoad: true })).loads).toEqual({ bob: 4, cat: 4 })
  })
})

describe('runPairing input errors', () => {
  const base = course([student('ann'), student('ben')], [mentor('bob', 1), mentor('cat', 1, { active: false })])
  it.each<[string, Partial<PairingInput>]>([
    ['duplicate ids', { students: [student('ann'), student('ann')] }],
    ['a lock on a forbidden pair', { constraints: { locked: [['ann', 'bob']], forbidden: [['ann', 'bob']] } }],
    ['a lock on an inactive mentor', { constraints: { locked: [['ann', 'cat']] } }],
    ['locks beyond capacity', { constraints: { locked: [['ann', 'bob'], ['ben', 'bob']] } }],
    ['a lock naming an unknown student', { constraints: { locked: [['zoe', 'bob']] } }],
    ['a reserve of 100%', { constraints: { reserveFraction: 1 } }],
    ['a bad capacity', { mentors: [mentor('bob', 1.5)] }],
    ['a bad reserve', { mentors: [mentor('bob', 3, { reserve: -1 })] }],
    ['a bad list length', { listLength: 0 }]
  ])('rejects %s', (_, change) => {
    expect(() => runPairing({ ...base, ...change })).toThrow(PairingInputError)
  })

  it('asks for a list length when complete lists would be huge', () => {
    const students = Array.from({ length: 3200 }, (_, i) => student(`s${i}`))
    const mentors = Array.from({ length: 3200 }, (_, i) => mentor(`m${i}`, 1))
    expect(() => runPairing(course(students, mentors))).toThrow(/listLength/)
  })
})
