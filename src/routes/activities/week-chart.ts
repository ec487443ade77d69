import type { WeekActivity } from '../../domain/activities/course-report'

const BAR = 24
const GAP = 8
const LEFT = 36
const TOP = 12
const PLOT = 160
const BOTTOM = 36

/** A nice upper bound for the y axis, and 0–4 evenly spaced whole ticks. */
function ticksFor (max: number): number[] {
  const top = Math.max(4, Math.ceil(max / 4) * 4)
  return [0, 1, 2, 3, 4].map((i) => (top / 4) * i)
}

/**
 * Geometry of a server-rendered SVG bar chart of activity per week of the term. The template draws it; the same
 * numbers go into a table beside it, the chart's text alternative.
 */
export function weekChart (weeks: readonly WeekActivity[]) {
  const ticks = ticksFor(Math.max(0, ...weeks.map((w) => w.total)))
  const top = ticks[ticks.length - 1] as number
  const y = (value: number) => TOP + PLOT - (value / top) * PLOT
  const labelEvery = weeks.length > 12 ? 2 : 1
  const busiest = weeks.reduce<WeekActivity | null>((best, w) => best === null || w.total > best.total ? w : best, null)
  return {
    width: LEFT + weeks.length * (BAR + GAP) + GAP,
    height: TOP + PLOT + BOTTOM,
    plotBottom: TOP + PLOT,
    left: LEFT,
    axisLabelX: LEFT - 6,
    ticks: ticks.map((value) => ({ value, y: y(value), labelY: y(value) + 4 })),
    bars: weeks.map((w, i) => {
      const x = LEFT + GAP + i * (BAR + GAP)
      return {
        ...w,
        number: i + 1,
        x,
        width: BAR,
        y: y(w.total),
        height: (w.total / top) * PLOT,
        labelX: x + BAR / 2,
        labelY: TOP + PLOT + 16,
        showLabel: i % labelEvery === 0
      }
    }),
    summary: weeks.length === 0
      ? 'No weeks in the term.'
      : `${weeks.reduce((n, w) => n + w.total, 0)} activities and attended field trips over ${weeks.length} weeks` +
        (busiest && busiest.total > 0 ? `; the busiest week was week ${weeks.indexOf(busiest) + 1} (from ${busiest.start}) with ${busiest.total}.` : '.')
  }
}
