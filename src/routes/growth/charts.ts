import type { CompetencyGrowth } from '../../domain/competencies/growth-statistics'
import { MIN_COHORT, POINT_LABELS, POINT_KEYS, type Competency, type PointKey } from '../../domain/competencies/vocabulary'

/**
 * Geometry of the growth pages' server-rendered SVG charts. Templates draw them; the same numbers go into a table
 * behind each chart, its text alternative, and every chart's <desc> says what it shows in a sentence.
 */

const fixed = (n: number, digits = 2): string => n.toFixed(digits).replace(/^-(0\.0+)$/, '$1')
export const signed = (n: number, digits = 2): string => `${n > 0 ? '+' : n < 0 ? '−' : ''}${fixed(Math.abs(n), digits)}`
export const percent = (share: number): string => `${Math.round(share * 100)}%`
const withheldText = (students: number): string => `withheld: ${students} ${students === 1 ? 'student' : 'students'}, fewer than ${MIN_COHORT}`

/** One student's levels at each point, by side (undefined: not submitted, or not visible to the reader). */
export type StudentLevels = Map<string, Map<PointKey, { self?: number, mentor?: number, selfNote?: string, mentorNote?: string }>>

const SMALL = { width: 230, height: 180, left: 28, top: 26, plot: 120, group: 64, bar: 22 } as const

/** Small multiples, one per competency: self and mentor side by side at each point, levels 1–5. */
export function studentCharts (competencies: readonly Competency[], levels: StudentLevels) {
  const y = (level: number) => SMALL.top + SMALL.plot - (level / 5) * SMALL.plot
  return competencies.map((c, ci) => {
    const at = levels.get(c.key)
    const groups = POINT_KEYS.map((point, i) => {
      const cell = at?.get(point) ?? {}
      const x = SMALL.left + 10 + i * SMALL.group
      const bar = (value: number | undefined, dx: number, side: 'self' | 'mentor') => value === undefined
        ? { side, missing: true, x: x + dx + SMALL.bar / 2, y: SMALL.top + SMALL.plot - 4 }
        : { side, missing: false, value, x: x + dx, width: SMALL.bar, y: y(value), height: SMALL.top + SMALL.plot - y(value), labelX: x + dx + SMALL.bar / 2, labelY: y(value) - 3 }
      return { point, label: POINT_LABELS[point].replace(/ of term$/, ''), labelX: x + SMALL.bar, labelY: SMALL.top + SMALL.plot + 16, self: bar(cell.self, 0, 'self'), mentor: bar(cell.mentor, SMALL.bar + 2, 'mentor'), cell }
    })
    const said = (side: 'self' | 'mentor') => groups.map((g) => `${g.label} ${g.cell[side] ?? 'none'}`).join(', ')
    return {
      id: `competency-chart-${ci}`,
      name: c.name,
      width: SMALL.width,
      height: SMALL.height,
      ticks: [1, 2, 3, 4, 5].map((level) => ({ level, y: y(level), labelY: y(level) + 4 })),
      left: SMALL.left,
      right: SMALL.width - 4,
      base: SMALL.top + SMALL.plot,
      groups,
      desc: `${c.name}. Self-rating: ${said('self')}. Mentor's rating: ${said('mentor')}.`
    }
  })
}

/** Rows of the table behind a student's charts: a competency, its levels at each point by side. */
export function studentTable (competencies: readonly Competency[], levels: StudentLevels) {
  return competencies.map((c) => ({
    name: c.name,
    cells: POINT_KEYS.flatMap((point) => {
      const cell = levels.get(c.key)?.get(point) ?? {}
      return [cell.self === undefined ? (cell.selfNote ?? '–') : String(cell.self), cell.mentor === undefined ? (cell.mentorNote ?? '–') : String(cell.mentor)]
    })
  }))
}

const FOREST = { width: 620, label: 190, right: 20, row: 34, top: 24, bottom: 30, min: -4, max: 4 } as const

/** The mean change with its 95% interval per competency, on a −4 … +4 axis with the zero line. */
export function changeChart (growth: readonly CompetencyGrowth[]) {
  const plot = FOREST.width - FOREST.label - FOREST.right
  const x = (v: number) => FOREST.label + ((Math.max(FOREST.min, Math.min(FOREST.max, v)) - FOREST.min) / (FOREST.max - FOREST.min)) * plot
  const height = FOREST.top + growth.length * FOREST.row + FOREST.bottom
  const rows = growth.map((g, i) => {
    const cy = FOREST.top + i * FOREST.row + FOREST.row / 2
    const name = g.competency.name
    // A withheld row's words sit on a band over the grid lines, which would otherwise strike through them.
    if (g.change.hidden) return { name, hidden: true, y: cy, textY: cy + 4, textX: FOREST.label + 4, band: { x: FOREST.label, y: cy - FOREST.row / 2 + 2, width: plot, height: FOREST.row - 4 }, text: `Withheld (${g.change.students} of ${MIN_COHORT} needed)`, students: g.change.students }
    const c = g.change
    return {
      name, hidden: false, y: cy, textY: cy + 4, cx: x(c.meanChange), low: x(c.ci?.low ?? c.meanChange), high: x(c.ci?.high ?? c.meanChange),
      students: c.students, mean: signed(c.meanChange), ci: c.ci === null ? 'none (one student)' : `${signed(c.ci.low)} to ${signed(c.ci.high)}`,
      improved: percent(c.shareImproved), sd: fixed(c.standardDeviation)
    }
  })
  const shown = rows.filter((r) => !r.hidden)
  return {
    width: FOREST.width,
    height,
    label: FOREST.label,
    zero: x(0),
    top: FOREST.top - 8,
    bottom: height - FOREST.bottom + 4,
    axisY: height - 10,
    ticks: [-4, -3, -2, -1, 0, 1, 2, 3, 4].map((v) => ({ x: x(v), text: signed(v, 0) })),
    rows,
    desc: shown.length === 0
      ? `No competency has the ${MIN_COHORT} students with a start and an end rating that its figures need.`
      : `Mean change from start to end with its 95% confidence interval: ${shown.map((r) => `${r.name} ${r.mean}`).join('; ')}.` +
        (shown.length < rows.length ? ` ${rows.length - shown.length} withheld for fewer than ${MIN_COHORT} students.` : '')
  }
}

const HIST = { width: 230, height: 130, left: 26, top: 10, plot: 86, bar: 20, gap: 2 } as const

/** Per competency, how many students changed by each of −4 … +4 levels. */
export function distributionCharts (growth: readonly CompetencyGrowth[]) {
  return growth.map((g, i) => {
    const name = g.competency.name
    if (g.change.hidden) return { id: `change-distribution-${i}`, name, hidden: true, text: withheldText(g.change.students) }
    const most = Math.max(1, ...g.change.distribution.map((d) => d.students))
    const bars = g.change.distribution.map((d, j) => {
      const height = (d.students / most) * HIST.plot
      const x = HIST.left + j * (HIST.bar + HIST.gap)
      return { change: signed(d.change, 0), students: d.students, x, y: HIST.top + HIST.plot - height, width: HIST.bar, height, labelX: x + HIST.bar / 2, labelY: HIST.top + HIST.plot + 14, countY: HIST.top + HIST.plot - height - 2 }
    })
    return {
      id: `change-distribution-${i}`, name, hidden: false, width: HIST.width, height: HIST.height, base: HIST.top + HIST.plot, left: HIST.left, right: HIST.width - 2, bars,
      desc: `${name}: ${bars.filter((b) => b.students > 0).map((b) => `${b.students} changed by ${b.change}`).join(', ')}.`
    }
  })
}

const AGREE = { width: 620, label: 190, right: 60, row: 30, top: 8 } as const

/** The share of self and mentor ratings within one level of each other, per competency. */
export function agreementChart (growth: readonly CompetencyGrowth[]) {
  const plot = AGREE.width - AGREE.label - AGREE.right
  const rows = growth.map((g, i) => {
    const y = AGREE.top + i * AGREE.row
    const name = g.competency.name
    if (g.agreement.hidden) return { name, hidden: true, y: y + 6, textY: y + 19, textX: AGREE.label + 4, text: `Withheld (${g.agreement.students} of ${MIN_COHORT} needed)`, students: g.agreement.students }
    const a = g.agreement
    return {
      name, hidden: false, y: y + 6, textY: y + 19, width: a.shareWithinOne * plot, valueX: AGREE.label + a.shareWithinOne * plot + 6,
      within: percent(a.shareWithinOne), exact: percent(a.shareExact), mad: fixed(a.meanAbsoluteDifference), students: a.students, pairs: a.pairs
    }
  })
  const shown = rows.filter((r) => !r.hidden)
  return {
    width: AGREE.width, height: AGREE.top + rows.length * AGREE.row + 8, label: AGREE.label, plot, rows,
    desc: shown.length === 0
      ? `No competency has the ${MIN_COHORT} students rated by themselves and their mentor at the same point that its figures need.`
      : `Share of self and mentor ratings within one level of each other: ${shown.map((r) => `${r.name} ${r.within}`).join('; ')}.`
  }
}
