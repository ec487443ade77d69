import { explainPair, tagLabels } from '../../domain/pairing-workflow/explain-pair'
import type { PairingPlan, PairingRunRecord } from '../../domain/pairing-workflow/pairing-ports'

const METHOD_LABELS = { stable: 'Stable matching', 'best-fit': 'Best fit' } as const
/** "the student's 1st choice; …" → "The student's 1st choice; …". */
const sentence = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1)

/** Shapes a stored run for the preview page: names instead of ids, explanations, loads as chart bars. */
export function pairingPreview (run: PairingRunRecord, plan: PairingPlan) {
  const studentName = new Map(run.inputs.students.map((s) => [s.id, s.name]))
  const labels = tagLabels(run.inputs)
  const withoutIntake = new Set(run.inputs.students.filter((s) => !s.hasIntake).map((s) => s.id))
  const mentorName = new Map(run.inputs.mentors.map((m) => [m.id, m.name]))
  const organisation = (text: string | undefined): string => (text ?? '').trim().toLowerCase()
  const studentOrganisation = new Map(run.inputs.students.map((s) => [s.id, organisation(s.organisation)]))
  const mentorOrganisation = new Map(run.inputs.mentors.map((m) => [m.id, organisation(m.organisation)]))
  // Allowed unless the instructor chose "never pair … own organisation", but worth a look: flagged on the pair.
  const sameOrganisation = (s: string, m: string): boolean => (studentOrganisation.get(s) ?? '') !== '' && studentOrganisation.get(s) === mentorOrganisation.get(m)
  const isLocked = (s: string, m: string): boolean => plan.locked.some((p) => p.studentId === s && p.mentorId === m)
  const activeMentors = run.inputs.mentors.filter((m) => m.active)
  return {
    runId: run.id,
    method: METHOD_LABELS[run.method],
    published: run.publishedAt !== null,
    comparison: (['stable', 'best-fit'] as const).map((method) => {
      const figures = run.comparison[method]
      return {
        method: METHOD_LABELS[method],
        chosen: method === run.method,
        placed: figures.placed,
        unplaced: figures.unplaced,
        averageCompatibility: figures.placed > 0 ? `${Math.round(figures.totalCompatibility / figures.placed * 100)}%` : '—',
        blockingPairs: figures.blockingPairs
      }
    }),
    pairs: run.result.pairs.map((p) => ({
      studentId: p.studentId,
      mentorId: p.mentorId,
      student: studentName.get(p.studentId) ?? p.studentId,
      mentor: mentorName.get(p.mentorId) ?? p.mentorId,
      explanation: sentence(explainPair(p.explanation, labels)),
      locked: isLocked(p.studentId, p.mentorId),
      noIntake: withoutIntake.has(p.studentId),
      sameOrganisation: sameOrganisation(p.studentId, p.mentorId),
      moveOptions: activeMentors.filter((m) => m.id !== p.mentorId).map((m) => ({ id: m.id, name: m.name }))
    })).sort((a, b) => a.student.localeCompare(b.student)),
    unpaired: run.result.unpaired.map((u) => ({ student: studentName.get(u.studentId) ?? u.studentId, reason: u.message })),
    loads: run.inputs.mentors.map((m) => ({
      label: m.name,
      value: run.result.loads[m.id] ?? 0,
      max: m.capacity,
      text: `${run.result.loads[m.id] ?? 0} of ${m.capacity}${m.active ? '' : ' (inactive)'}`
    })),
    publication: publicationSummary(run),
    forbidden: plan.forbidden.map((p) => ({ studentId: p.studentId, mentorId: p.mentorId, student: studentName.get(p.studentId) ?? p.studentId, mentor: mentorName.get(p.mentorId) ?? p.mentorId }))
  }
}

/** What publishing the run will do, in the words the confirmation uses. */
function publicationSummary (run: PairingRunRecord) {
  const reasons = new Map<string, number>()
  for (const u of run.result.unpaired) reasons.set(u.message, (reasons.get(u.message) ?? 0) + 1)
  const full = run.inputs.mentors.filter((m) => m.active && m.capacity > 0 && (run.result.loads[m.id] ?? 0) >= m.capacity).length
  return {
    paired: run.result.pairs.length,
    unpaired: run.result.unpaired.length,
    reasons: [...reasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count),
    mentorsFull: full,
    empty: run.result.pairs.length === 0
  }
}

export type PairingPreview = ReturnType<typeof pairingPreview>

/**
 * After changes since publication (late students, students paired on request, releases), the published run no
 * longer says who is paired with whom: the pairs and the students without a mentor as they are now, from the course
 * table. Pairs the run made keep their explanation. The run's reasons for the unpaired and its mentor loads may be
 * out of date (the pool may have changed), so they are not shown.
 */
export function currentPairing (
  preview: PairingPreview, participants: ReadonlyArray<{ userId: string, name: string, mentorId: string | null }>, mentorName: ReadonlyMap<string, string>
): PairingPreview {
  const published = new Map(preview.pairs.map((p) => [`${p.studentId} ${p.mentorId}`, p]))
  const paired = participants.filter((p) => p.mentorId !== null)
  return {
    ...preview,
    pairs: paired.map((p) => published.get(`${p.userId} ${p.mentorId}`) ?? {
      studentId: p.userId, mentorId: p.mentorId as string, student: p.name, mentor: mentorName.get(p.mentorId as string) ?? 'A former mentor',
      explanation: 'Paired after publication (see Changes since publication).', locked: false, noIntake: false, sameOrganisation: false, moveOptions: []
    }),
    unpaired: participants.filter((p) => p.mentorId === null)
      .map((p) => ({ student: p.name, reason: 'Not paired yet: add mentors or seats, then pair the students without a mentor now.' })),
    loads: []
  }
}

