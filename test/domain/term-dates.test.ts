import { defaultDayIn, outsideTermText, termSpanText, type Term } from '../../src/domain/term/term'

const term: Term = { start: '2027-01-11', end: '2027-05-07', startFrom: 'instructor', endFrom: 'instructor', milestones: [] }

describe('dates that fit the term', () => {
  it('a form starts at today inside the term, else at the term\'s nearest day', () => {
    expect(defaultDayIn(term, '2027-02-03')).toBe('2027-02-03')
    expect(defaultDayIn(term, '2026-12-06')).toBe('2027-01-11')
    expect(defaultDayIn(term, '2027-06-01')).toBe('2027-05-07')
    expect(defaultDayIn(null, '2026-12-06')).toBe('2026-12-06')
  })

  it('says the term as people do', () => {
    expect(termSpanText(term)).toBe('11 Jan and 7 May 2027')
    expect(termSpanText({ ...term, start: '2026-09-01', end: '2027-01-15' })).toBe('1 Sept 2026 and 15 Jan 2027')
    expect(outsideTermText(term)).toBe('must fall between 11 Jan and 7 May 2027 (the term)')
  })
})
