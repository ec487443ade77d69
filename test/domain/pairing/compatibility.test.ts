import { compatibility, normaliseTag } from '../../../src/domain/pairing'
import { CompatibilityIndex } from '../../../src/domain/pairing/compatibility-index'
import { createRandom } from '../../../src/domain/pairing/seeded-random'
import { randomInput } from './helpers/random-input'

describe('normaliseTag', () => {
  it.each([
    ['  Public   Speaking ', 'public-speaking'],
    ['Négociation', 'negociation'],
    ['C++', 'c++'],
    ['data_science/ML', 'data-science-ml'],
    ['---', '']
  ])('%j becomes %j', (tag, normal) => expect(normaliseTag(tag)).toBe(normal))
})

describe('compatibility', () => {
  it('is the Jaccard overlap of normalised tags, weighted 0.9', () => {
    const result = compatibility({ tags: ['Finance', 'Leadership', 'data'] }, { tags: ['leadership', 'FINANCE', 'ops', 'strategy'] })
    expect(result.sharedTags).toEqual(['finance', 'leadership'])
    expect(result.score).toBeCloseTo(0.9 * 2 / 5, 6)
  })

  it('adds up to 0.1 for mentor tags named in the goals, matching whole words only', () => {
    const mentor = { tags: ['go', 'public speaking'] }
    expect(compatibility({ tags: [], goals: 'Learn golang' }, mentor)).toEqual({ score: 0, sharedTags: [], goalMatches: [] })
    const result = compatibility({ tags: [], goals: 'Better PUBLIC speaking, and Go!' }, mentor)
    expect(result.goalMatches).toEqual(['go', 'public-speaking'])
    expect(result.score).toBeCloseTo(0.1, 6)
  })

  it('is 1 for identical tags named in the goals and 0 with nothing in common', () => {
    expect(compatibility({ tags: ['a', 'b'], goals: 'a b' }, { tags: ['B', 'A'] }).score).toBe(1)
    expect(compatibility({ tags: ['a'] }, { tags: ['b'] }).score).toBe(0)
    expect(compatibility({ tags: [] }, { tags: [] }).score).toBe(0)
  })

  it('equals the fast index used by the engines on random people', () => {
    const random = createRandom('compat-index')
    for (let round = 0; round < 20; round++) {
      const { students, mentors } = randomInput(random, { students: 15, mentors: 8, maxCapacity: 3 })
      const index = new CompatibilityIndex(students, mentors)
      const row = new Int32Array(mentors.length)
      students.forEach((student, s) => {
        index.scoreRow(s, row)
        mentors.forEach((mentor, m) => {
          const expected = compatibility(student, mentor)
          expect(index.score(s, m) / 1e6).toBe(expected.score)
          expect(row[m]! / 1e6).toBe(expected.score)
          expect(index.sharedTags(s, m)).toEqual(expected.sharedTags)
          expect(index.goalMatches(s, m)).toEqual(expected.goalMatches)
        })
      })
    }
  })
})
