import type { FieldError } from '../../domain/activities/field-error'
import type { PointView, SideView } from '../../domain/competencies/assessment-service'
import type { Framework } from '../../domain/competencies/framework-service'
import type { Assessment } from '../../domain/competencies/ports'
import { POINT_KEYS, type PointKey, type Side } from '../../domain/competencies/vocabulary'
import type { CourseRole } from '../../domain/launch/roles'
import { studentCharts, studentTable, type StudentLevels } from './charts'

/** What a refused form sends back: the levels and comments as typed, and the problems by competency key. */
export interface FormState { point: PointKey, levels: Record<string, string>, comments: Record<string, string>, errors: FieldError[] }

const STATE_TEXT = {
  upcoming: (p: PointView) => `Opens on ${p.point.opens}, due ${p.point.due}.`,
  open: (p: PointView) => `Open: due ${p.point.due}.`,
  overdue: (p: PointView) => `Was due ${p.point.due}: ratings are still accepted, marked late.`
}

const ratingRows = (framework: Framework, a: Assessment) => a.ratings.map((r) => {
  const c = framework.competencies.find((x) => x.key === r.competency)
  return { name: c?.name ?? r.competency, level: r.level, words: c?.levels[r.level - 1] ?? '', comment: r.comment }
})

/** The words of one side's box, for the reader. */
function sideBox (framework: Framework, view: SideView, words: { title: string, missing: string, sealed: string }) {
  if (view.assessment !== null) {
    return { title: words.title, rows: ratingRows(framework, view.assessment), submittedOn: view.assessment.submittedAt.toISOString().slice(0, 10), late: view.assessment.late }
  }
  return { title: words.title, text: view.sealed ? words.sealed : words.missing }
}

/** Levels for the chart: what the reader may see, and why a cell is empty ("sealed", "none"). */
export function levelsOf (views: readonly PointView[]): StudentLevels {
  const levels: StudentLevels = new Map()
  for (const v of views) {
    for (const side of ['self', 'mentor'] as const) {
      const s = v[side]
      for (const r of s.assessment?.ratings ?? []) {
        const byPoint = levels.get(r.competency) ?? new Map()
        levels.set(r.competency, byPoint)
        byPoint.set(v.point.key, { ...byPoint.get(v.point.key), [side]: r.level })
      }
    }
  }
  return levels
}

/**
 * The page of one student's assessments as its reader sees it: a student their own, a mentor their mentee's, an
 * instructor both sides; the form for each open point the reader has not rated yet.
 */
export function assessmentPage (role: CourseRole, framework: Framework, views: readonly PointView[], options: { studentName: string, formAction?: (point: PointKey) => string, refused?: FormState }) {
  const mine: Side | null = role === 'student' ? 'self' : role === 'mentor' ? 'mentor' : null
  const name = options.studentName
  const words: Record<Side, { title: string, missing: string, sealed: string }> = {
    self: role === 'student'
      ? { title: 'Your ratings', missing: 'You have not rated yourself yet.', sealed: '' }
      : { title: `${name}'s self-assessment`, missing: `${name} has not rated themselves yet.`, sealed: `${name} has submitted; you see their ratings once yours are in, so neither of you anchors the other.` },
    mentor: role === 'mentor'
      ? { title: 'Your ratings', missing: 'You have not rated yet.', sealed: '' }
      : { title: role === 'student' ? 'Your mentor\'s ratings' : 'Mentor\'s ratings', missing: role === 'student' ? 'Your mentor has not rated you yet.' : 'The mentor has not rated yet.', sealed: 'Your mentor has submitted; you see their ratings once yours are in, so neither of you anchors the other.' }
  }
  const points = views.map((v) => {
    const refused = options.refused?.point === v.point.key ? options.refused : undefined
    const needsForm = mine !== null && !v[mine].submitted && v.state !== 'upcoming' && options.formAction !== undefined
    const errorOf = (key: string) => refused?.errors.find((e) => e.field === `ratings.${key}`)?.message
    const form = needsForm
      ? {
          action: options.formAction?.(v.point.key),
          revision: framework.revision,
          summary: (refused?.errors ?? []).flatMap((e) => {
            const key = /^ratings\.([a-z0-9-]+)$/.exec(e.field)?.[1]
            return key === undefined ? [] : [{ message: e.message, href: `#rate-${v.point.key}-${key}` }]
          }),
          competencies: framework.competencies.map((c) => ({
            key: c.key,
            name: c.name,
            description: c.description,
            id: `rate-${v.point.key}-${c.key}`,
            error: errorOf(c.key),
            comment: refused?.comments[c.key] ?? '',
            levels: c.levels.map((w, i) => ({ level: i + 1, words: w, id: `rate-${v.point.key}-${c.key}-${i + 1}`, checked: refused?.levels[c.key] === String(i + 1) }))
          }))
        }
      : null
    const order: Side[] = mine === 'mentor' ? ['mentor', 'self'] : ['self', 'mentor']
    return {
      key: v.point.key,
      label: v.point.label,
      stateText: STATE_TEXT[v.state](v),
      form,
      boxes: order.filter((side) => !(side === mine && form !== null)).map((side) => sideBox(framework, v[side], words[side]))
    }
  })
  const levels = levelsOf(views)
  return {
    points,
    charts: studentCharts(framework.competencies, levels),
    table: studentTable(framework.competencies, levels),
    pointLabels: POINT_KEYS.map((p) => views.find((v) => v.point.key === p)?.point.label ?? p),
    hasRatings: levels.size > 0
  }
}
