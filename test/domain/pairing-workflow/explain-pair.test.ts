import { explainPair, tagLabels } from '../../../src/domain/pairing-workflow/explain-pair'

const explanation = {
  sharedTags: ['mergers-and-acquisitions', 'public-speaking'], goalMatches: ['negotiation'], studentRank: 2, mentorRank: null, choice: 1, compatibility: 0.7634, locked: false
}

describe('why a student got their mentor, in plain words', () => {
  it('names shared interests as people wrote them, and compatibility as a percentage', () => {
    const labels = tagLabels({ mentors: [{ tags: ['Mergers and Acquisitions', 'Negotiation'] }], students: [{ tags: ['public speaking'] }] })
    expect(explainPair(explanation, labels)).toBe(
      "the student's 2nd choice; shares Mergers and Acquisitions, public speaking; goals mention Negotiation (compatibility 76%)")
  })

  it('reads a tag nobody spelled out as words, never as a slug', () => {
    expect(explainPair(explanation)).toContain('shares mergers and acquisitions, public speaking')
  })
})
