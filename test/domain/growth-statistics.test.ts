import { courseGrowth, pairedChange, type RatingRow } from '../../src/domain/competencies/growth-statistics'
import { tCdf, tQuantile } from '../../src/domain/competencies/t-distribution'
import type { Competency } from '../../src/domain/competencies/vocabulary'

/**
 * The growth figures against values worked out by hand (and the t quantiles against printed tables), on fixed data:
 * six students rated on leadership at the start and the end by their mentors and themselves.
 */
const lead: Competency = { key: 'lead', name: 'Leadership', description: 'd', levels: ['1', '2', '3', '4', '5'] }
const talk: Competency = { key: 'talk', name: 'Rhetoric', description: 'd', levels: ['1', '2', '3', '4', '5'] }

// student: [mentor start, mentor end, self start, self end]
const LEADERSHIP: Record<string, [number, number, number, number]> = {
  s1: [2, 4, 3, 4],
  s2: [3, 3, 3, 5],
  s3: [1, 3, 1, 3],
  s4: [4, 3, 5, 2],
  s5: [2, 3, 2, 5],
  s6: [3, 5, 3, 4]
}
const rows: RatingRow[] = Object.entries(LEADERSHIP).flatMap(([s, [ms, me, ss, se]]) => [
  { studentUserId: s, point: 'start', side: 'mentor', competency: 'lead', level: ms },
  { studentUserId: s, point: 'end', side: 'mentor', competency: 'lead', level: me },
  { studentUserId: s, point: 'start', side: 'self', competency: 'lead', level: ss },
  { studentUserId: s, point: 'end', side: 'self', competency: 'lead', level: se }
] satisfies RatingRow[])
// Rhetoric: four students with start and end, one more with a start only.
for (const s of ['s1', 's2', 's3', 's4']) rows.push({ studentUserId: s, point: 'start', side: 'mentor', competency: 'talk', level: 2 }, { studentUserId: s, point: 'end', side: 'mentor', competency: 'talk', level: 3 })
rows.push({ studentUserId: 's5', point: 'start', side: 'mentor', competency: 'talk', level: 2 })

describe('the t distribution', () => {
  it.each([[1, 12.7062], [2, 4.3027], [4, 2.7764], [5, 2.5706], [10, 2.2281], [30, 2.0423], [120, 1.9799]])('t(0.975, %i) = %f as tables print it', (df, value) => {
    expect(tQuantile(0.975, df)).toBeCloseTo(value, 4)
    expect(tQuantile(0.025, df)).toBeCloseTo(-value, 4)
  })
  it('inverts its CDF', () => {
    for (const df of [1, 3, 7, 25]) for (const p of [0.6, 0.9, 0.995]) expect(tCdf(tQuantile(p, df), df)).toBeCloseTo(p, 10)
  })
})

describe('paired change from start to end (mentor ratings)', () => {
  const [leadership] = courseGrowth([lead, talk], rows, 'mentor')
  it('has the mean, standard deviation, 95% CI and share improved worked out by hand', () => {
    // Changes 2, 0, 2, −1, 1, 2: mean 6/6 = 1; squared deviations 1+1+1+4+0+1 = 8, s² = 8/5, s = 1.264911;
    // half width t(0.975, 5) · s/√6 = 2.570582 · 0.516398 = 1.327443.
    expect(leadership?.change).toMatchObject({ hidden: false, students: 6, meanChange: 1, shareImproved: 4 / 6 })
    if (leadership?.change.hidden !== false) throw new Error('hidden')
    expect(leadership.change.standardDeviation).toBeCloseTo(1.264911, 6)
    expect(leadership.change.ci?.low).toBeCloseTo(-0.327443, 5)
    expect(leadership.change.ci?.high).toBeCloseTo(2.327443, 5)
  })
  it('counts the distribution of change', () => {
    if (leadership?.change.hidden !== false) throw new Error('hidden')
    expect(leadership.change.distribution.filter((d) => d.students > 0)).toEqual([
      { change: -1, students: 1 }, { change: 0, students: 1 }, { change: 1, students: 1 }, { change: 2, students: 3 }
    ])
    expect(leadership.change.distribution.map((d) => d.change)).toEqual([-4, -3, -2, -1, 0, 1, 2, 3, 4])
  })
  it('measures by the self-ratings when asked', () => {
    // Self changes 1, 2, 2, −3, 3, 1: mean 1, share improved 5/6.
    const [bySelf] = courseGrowth([lead], rows, 'self')
    expect(bySelf?.change).toMatchObject({ hidden: false, students: 6, meanChange: 1, shareImproved: 5 / 6 })
  })
  it('has no interval for a single student', () => {
    expect(pairedChange([2]).ci).toBeNull()
  })
})

describe('agreement of self and mentor', () => {
  it('is the mean absolute difference and the shares exactly equal and within one level, over every point both rated', () => {
    // Differences at start: 1 0 0 1 0 0; at the end: 0 2 0 1 2 1 → 8/12, exact 6/12, within one 10/12.
    const [leadership] = courseGrowth([lead], rows)
    expect(leadership?.agreement).toMatchObject({ hidden: false, students: 6, pairs: 12, shareExact: 0.5 })
    if (leadership?.agreement.hidden !== false) throw new Error('hidden')
    expect(leadership.agreement.meanAbsoluteDifference).toBeCloseTo(8 / 12, 10)
    expect(leadership.agreement.shareWithinOne).toBeCloseTo(10 / 12, 10)
  })
})

describe('small cells', () => {
  it('withholds every figure fewer than 5 students contribute to, and says how many did', () => {
    const [, rhetoric] = courseGrowth([lead, talk], rows)
    expect(rhetoric?.change).toEqual({ hidden: true, students: 4 })
    expect(rhetoric?.agreement).toEqual({ hidden: true, students: 0 })
    expect(rhetoric?.means.find((m) => m.point === 'start' && m.side === 'mentor')?.value).toEqual({ hidden: false, mean: 2, students: 5 })
    expect(rhetoric?.means.find((m) => m.point === 'end' && m.side === 'mentor')?.value).toEqual({ hidden: true, students: 4 })
  })
})
