import { evaluate } from '../../src/domain/completion/evaluate'
import { zeroCounts, type CompletionCounts } from '../../src/domain/completion/requirements'
import { CompletionRulesInput, DEFAULT_RULES, scoreMaximumOf, type CompletionRules } from '../../src/domain/completion/rules'
import { completionComment, scoreBodyOf } from '../../src/domain/grading/score-body'

const counts = (c: Partial<CompletionCounts>): CompletionCounts => ({ ...zeroCounts(), ...c })
const done: CompletionCounts = counts({ sessions: 6, meetings: 1, fieldTrips: 2, shortGoals: 1, longGoals: 1, reflections: 1 })

describe('completion rules', () => {
  it('default to six sessions, two field trips, a meeting, both goals and a reflection, worth 100 points', () => {
    expect(CompletionRulesInput.safeParse(DEFAULT_RULES).success).toBe(true)
    expect(scoreMaximumOf(DEFAULT_RULES)).toBe(100)
    expect(evaluate(DEFAULT_RULES, zeroCounts()).missing.map((m) => [m.requirement, m.need])).toEqual([
      ['sessions', 6], ['meetings', 1], ['fieldTrips', 2], ['shortGoals', 1], ['longGoals', 1], ['reflections', 1]
    ])
  })

  it('refuse rules that require nothing, or give no points, naming the field', () => {
    const none = { ...DEFAULT_RULES, requirements: Object.fromEntries(Object.keys(DEFAULT_RULES.requirements).map((k) => [k, { need: 0, points: 10 }])) }
    expect(CompletionRulesInput.safeParse(none).error?.issues[0]).toMatchObject({ path: ['requirements'], message: expect.stringMatching(/at least one/) })
    const pointless = { ...DEFAULT_RULES, requirements: Object.fromEntries(Object.entries(DEFAULT_RULES.requirements).map(([k, r]) => [k, { ...r, points: 0 }])) }
    expect(CompletionRulesInput.safeParse(pointless).error?.issues[0]?.message).toMatch(/points/)
    const negative = { ...DEFAULT_RULES, requirements: { ...DEFAULT_RULES.requirements, sessions: { need: -1, points: 30 } } }
    expect(CompletionRulesInput.safeParse(negative).error?.issues[0]?.path).toEqual(['requirements', 'sessions', 'need'])
  })
})

describe('evaluate', () => {
  it('gives the maximum and Completed once every requirement is met, counting extra work once', () => {
    expect(evaluate(DEFAULT_RULES, done)).toMatchObject({ score: 100, scoreMaximum: 100, complete: true, missing: [] })
    expect(evaluate(DEFAULT_RULES, { ...done, sessions: 12, coaching: 5 }).score).toBe(100)
  })

  it('with partial credit, earns each requirement\'s points in proportion', () => {
    const result = evaluate(DEFAULT_RULES, counts({ sessions: 3, fieldTrips: 1, reflections: 1 }))
    expect(result.score).toBe(15 + 10 + 20)
    expect(result.complete).toBe(false)
    expect(result.missing).toEqual([
      { requirement: 'sessions', label: 'Verified 1:1 mentoring sessions', have: 3, need: 6 },
      { requirement: 'meetings', label: 'Observed high-level meetings', have: 0, need: 1 },
      { requirement: 'fieldTrips', label: 'Field trips attended', have: 1, need: 2 },
      { requirement: 'shortGoals', label: 'Short-term goals set', have: 0, need: 1 },
      { requirement: 'longGoals', label: 'Long-term goals set', have: 0, need: 1 }
    ])
  })

  it('without partial credit, is all or nothing', () => {
    const strict: CompletionRules = { ...DEFAULT_RULES, partialCredit: false }
    expect(evaluate(strict, { ...done, reflections: 0 }).score).toBe(0)
    expect(evaluate(strict, done).score).toBe(100)
  })

  it('rounds to two decimals and never exceeds the maximum', () => {
    const thirds: CompletionRules = { ...DEFAULT_RULES, requirements: { ...DEFAULT_RULES.requirements, sessions: { need: 3, points: 10 } } }
    expect(evaluate(thirds, counts({ sessions: 1 })).score).toBe(3.33)
  })
})

describe('the score sent to the LMS', () => {
  it('names what is missing in a short comment', () => {
    expect(completionComment(evaluate(DEFAULT_RULES, counts({ sessions: 5, fieldTrips: 1, shortGoals: 1, longGoals: 1, meetings: 1 }))))
      .toBe('Missing: 1 more verified 1:1 session, 1 more field trip attended, 1 more reflection.')
    expect(completionComment(evaluate(DEFAULT_RULES, done))).toBe('Mentoring programme complete.')
  })

  it('shows running scores as FullyGraded, or holds them back as Pending without a score', () => {
    const partial = evaluate(DEFAULT_RULES, counts({ sessions: 6 }))
    expect(scoreBodyOf(partial, { runningScores: 'shown' })).toMatchObject({ scoreGiven: 30, scoreMaximum: 100, activityProgress: 'InProgress', gradingProgress: 'FullyGraded' })
    const held = scoreBodyOf(partial, { runningScores: 'held' })
    expect(held).toMatchObject({ scoreMaximum: 100, activityProgress: 'InProgress', gradingProgress: 'Pending' })
    expect(held).not.toHaveProperty('scoreGiven')
    expect(scoreBodyOf(evaluate(DEFAULT_RULES, done), { runningScores: 'held' })).toMatchObject({ scoreGiven: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded' })
  })
})
