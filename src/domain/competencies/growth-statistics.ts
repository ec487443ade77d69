import type { Id } from '../ids'
import { tQuantile } from './t-distribution'
import { LEVELS, MIN_COHORT, POINT_KEYS, type Competency, type PointKey, type Side } from './vocabulary'

/** One rating as the statistics read it. */
export interface RatingRow { studentUserId: Id, point: PointKey, side: Side, competency: string, level: number }

/** Changes from start to end range over −4 … +4 on a 1–5 rubric. */
export const CHANGES = [-4, -3, -2, -1, 0, 1, 2, 3, 4] as const

export interface ChangeFigures {
  /** Students rated on this competency at both the start and the end (by the side asked for). */
  students: number
  meanChange: number
  /** 95% confidence interval of the mean paired change (t distribution, n − 1 degrees of freedom); null for one student. */
  ci: { low: number, high: number } | null
  standardDeviation: number
  /** Share of those students whose level went up. */
  shareImproved: number
  /** How many students changed by each of −4 … +4. */
  distribution: Array<{ change: number, students: number }>
}

/**
 * Agreement of self and mentor on the same student, point and competency: the mean absolute difference of the two
 * levels, the share of pairs that agree exactly, and the share within one level.
 */
export interface AgreementFigures { students: number, pairs: number, meanAbsoluteDifference: number, shareExact: number, shareWithinOne: number }

/** A figure withheld because fewer than MIN_COHORT students contribute to it. */
export interface Withheld { hidden: true, students: number }
export type Shown<T> = (T & { hidden: false }) | Withheld

export interface CompetencyGrowth {
  competency: Competency
  change: Shown<ChangeFigures>
  agreement: Shown<AgreementFigures>
  /** Mean level at each point by each side, with how many students it covers (withheld below the minimum too). */
  means: Array<{ point: PointKey, side: Side, value: Shown<{ mean: number, students: number }> }>
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length

/** Mean, 95% CI (t), share above zero and distribution of paired differences. */
export function pairedChange (changes: readonly number[]): ChangeFigures {
  const n = changes.length
  const m = mean(changes)
  const sd = n > 1 ? Math.sqrt(changes.reduce((s, x) => s + (x - m) ** 2, 0) / (n - 1)) : 0
  const half = n > 1 ? tQuantile(0.975, n - 1) * sd / Math.sqrt(n) : null
  return {
    students: n,
    meanChange: m,
    ci: half === null ? null : { low: m - half, high: m + half },
    standardDeviation: sd,
    shareImproved: changes.filter((c) => c > 0).length / n,
    distribution: CHANGES.map((change) => ({ change, students: changes.filter((c) => c === change).length }))
  }
}

export function agreement (pairs: ReadonlyArray<{ studentUserId: Id, self: number, mentor: number }>): AgreementFigures {
  const gaps = pairs.map((p) => Math.abs(p.self - p.mentor))
  return {
    students: new Set(pairs.map((p) => p.studentUserId)).size,
    pairs: pairs.length,
    meanAbsoluteDifference: mean(gaps),
    shareExact: gaps.filter((g) => g === 0).length / gaps.length,
    shareWithinOne: gaps.filter((g) => g <= 1).length / gaps.length
  }
}

const shown = <T extends object>(students: number, figures: () => T, minimum: number): Shown<T> =>
  students < minimum ? { hidden: true, students } : { ...figures(), hidden: false }

/**
 * A course's growth per competency. `side`: whose ratings the change is measured by (the mentor's by default).
 * Every cohort figure is withheld while fewer than `minimum` students contribute to it.
 */
export function courseGrowth (competencies: readonly Competency[], rows: readonly RatingRow[], side: Side = 'mentor', minimum = MIN_COHORT): CompetencyGrowth[] {
  return competencies.map((competency) => {
    const mine = rows.filter((r) => r.competency === competency.key && LEVELS.includes(r.level as 1))
    const levels = new Map(mine.map((r) => [`${r.studentUserId}|${r.point}|${r.side}`, r.level]))
    const level = (student: Id, point: PointKey, by: Side): number | undefined => levels.get(`${student}|${point}|${by}`)
    const students = [...new Set(mine.map((r) => r.studentUserId))]
    const changes = students.flatMap((s) => {
      const start = level(s, 'start', side)
      const end = level(s, 'end', side)
      return start === undefined || end === undefined ? [] : [end - start]
    })
    const pairs = students.flatMap((s) => POINT_KEYS.flatMap((point) => {
      const self = level(s, point, 'self')
      const mentor = level(s, point, 'mentor')
      return self === undefined || mentor === undefined ? [] : [{ studentUserId: s, self, mentor }]
    }))
    const agreed = new Set(pairs.map((p) => p.studentUserId)).size
    return {
      competency,
      change: shown(changes.length, () => pairedChange(changes), minimum),
      agreement: shown(agreed, () => agreement(pairs), minimum),
      means: POINT_KEYS.flatMap((point) => (['self', 'mentor'] as const).map((by) => {
        const at = students.flatMap((s) => { const l = level(s, point, by); return l === undefined ? [] : [l] })
        return { point, side: by, value: shown(at.length, () => ({ mean: mean(at), students: at.length }), minimum) }
      }))
    }
  })
}
