import type { Auth } from '../../auth/require-session'
import { participantsOf } from '../../domain/progress/course-table'
import { timeLabelsIn } from '../../http/date-labels'
import { pageContext } from '../../http/page-context'
import { historyRows } from './history-view'
import type { PairingRoutesOptions } from './index'
import { currentPairing, pairingPreview } from './preview-view'

/** How many history entries the page shows; the JSON API pages through all of them. */
const HISTORY_ON_PAGE = 30

/**
 * Everything the instructor's Pairing page shows, before and after publication. `adjusted`: the page follows an adjustment, so its message names it (from the plan's last adjustment); `values`: a
 * refused form's fields, shown again so nothing typed is lost.
 */
export async function pairingPage (options: PairingRoutesOptions, auth: Auth, extra: { notice?: string, error?: string, adjusted?: boolean, values?: Record<string, string> } = {}) {
  const { store, table, published, rematch, history, lowAnswers } = options
  const courseId = String(auth.course._id)
  const labels = timeLabelsIn(auth.zone.zone)
  // Who takes part comes from the course table (read model), not from every membership of the course.
  const [plan, run, courseTable, changes, interrupted, poolMentors] = await Promise.all([
    store.planOf(courseId), store.latestRun(courseId), table(courseId), store.changesSincePublication(courseId),
    store.interruptedPublication(courseId), store.poolMentors(courseId)
  ])
  const isPublished = plan.publishedAt !== null
  const mentorName = new Map(poolMentors.map((m) => [m.id, m.name]))
  const participants = await participantsOf(async () => courseTable)(courseId)
  const [readiness, requests, repair, unpublish, recent] = await Promise.all([
    store.readiness(courseId, participants.map((p) => p.userId)),
    isPublished ? rematch.openOf(courseId) : [],
    isPublished ? published.repairPreview(courseId) : null,
    isPublished ? published.unpublishable(courseId) : null,
    history.list(courseId, { limit: HISTORY_ON_PAGE })
  ])
  // A rematch request comes with what its student and mentor said of their sessions and pairing when it was low.
  const low = requests.length > 0 ? await lowAnswers(courseId) : []
  // Who is paired with whom now, from the course table: reading every pairing is what the table spares large courses.
  const active = isPublished ? participants.flatMap((p) => { const mentorId = courseTable.get(p.userId)?.mentorId; return mentorId ? [{ studentId: p.userId, mentorId }] : [] }) : []
  const person = (id: string | null | undefined): string => (id ? courseTable.get(id)?.name || courseTable.get(id)?.email : undefined) ?? 'A former member'
  const mentor = (id: string | null | undefined): string => (id ? mentorName.get(id) : undefined) ?? (id ? 'A former mentor' : 'no mentor')
  const studentName = new Map(participants.map((p) => [p.userId, p.name]))
  const previewNow = (r: NonNullable<typeof run>) => {
    const preview = pairingPreview(r, plan)
    if (!isPublished) return preview
    if (changes.length === 0) return { ...preview, loads: loadsNow }
    return { ...currentPairing(preview, participants.map((x) => ({ ...x, mentorId: courseTable.get(x.userId)?.mentorId ?? null })), mentorName), loads: loadsNow }
  }
  const loads = new Map<string, number>()
  for (const p of active) loads.set(p.mentorId, (loads.get(p.mentorId) ?? 0) + 1)
  // Only mentors with a free seat can take a student moved to them (a swap needs no seat).
  const mentorChoices = poolMentors.filter((m) => m.active && (loads.get(m.id) ?? 0) < m.capacity)
    .map((m) => ({ id: m.id, name: `${m.name} (${loads.get(m.id) ?? 0} of ${m.capacity} seats taken)`, selected: extra.values?.mentorId === m.id }))
  // After publication the run's loads are history: the chart shows each mentor's students now.
  const loadsNow = poolMentors.filter((m) => m.active || loads.has(m.id))
    .map((m) => ({ label: m.name, value: loads.get(m.id) ?? 0, max: m.capacity, text: `${loads.get(m.id) ?? 0} of ${m.capacity}${m.active ? '' : ' (inactive)'}` }))
  const pairedStudents = active.map((p) => ({ id: p.studentId, name: `${studentName.get(p.studentId) ?? person(p.studentId)} (with ${mentor(p.mentorId)})` }))
    .sort((a, b) => a.name.localeCompare(b.name))
  const choose = (selectedId: string | undefined) => pairedStudents.map((x) => ({ ...x, selected: x.id === selectedId }))
  const adjustment = !isPublished && plan.undo
    ? {
        label: plan.undo.label,
        knockOns: plan.undo.knockOns.map((k) => k.toMentorId === null
          ? `${studentName.get(k.studentId) ?? person(k.studentId)} lost ${mentor(k.fromMentorId)} and is now unpaired`
          : `${studentName.get(k.studentId) ?? person(k.studentId)} moved from ${mentor(k.fromMentorId)} to ${mentor(k.toMentorId)} to make room`)
      }
    : null
  const adjustedNotice = extra.adjusted === true && adjustment
    ? `${adjustment.label}. ${adjustment.knockOns.length === 0 ? 'Nobody else moved.' : `It also moved: ${adjustment.knockOns.join('; ')}.`} You can undo it above the proposed pairs.`
    : undefined
  return {
    ...pageContext(auth, 'Pairing', 'pairing'),
    ...extra,
    notice: adjustedNotice ?? extra.notice,
    values: extra.values ?? {},
    emailsPairings: options.emailsPairings,
    unpairedNow: isPublished ? participants.filter((p) => !courseTable.get(p.userId)?.mentorId).length : 0,
    plan: { ...plan, reservePercent: Math.round(plan.reserveFraction * 100), isStable: plan.method === 'stable' },
    readiness,
    withoutIntake: readiness.missing.map((id) => studentName.get(id) ?? 'A student').sort((a, b) => a.localeCompare(b)),
    interrupted: interrupted && { at: labels.time(interrupted.startedAt), runId: interrupted.runId, sameRun: run?.id === interrupted.runId },
    preview: run ? previewNow(run) : null,
    lastAdjustment: adjustment,
    changes: changes.map((c) => ({
      student: studentName.get(c.studentId) ?? 'A former student',
      mentor: c.status === 'released' ? '—' : mentor(c.mentorId),
      previous: mentorName.get(c.previousMentorId) ?? '—',
      what: c.status === 'released' ? 'No longer paired' : c.source === 'late-enrolment' ? 'Paired after publication' : c.previousMentorId ? 'Moved to another mentor' : 'Paired again',
      reason: c.reason,
      at: c.at && labels.minute(c.at)
    })),
    change: isPublished ? { students: choose(extra.values?.studentId), others: choose(extra.values?.otherStudentId), mentors: mentorChoices, swap: extra.values?.action === 'swap' } : null,
    requests: requests.map((r) => ({
      id: r.id,
      student: studentName.get(r.studentId) ?? person(r.studentId),
      mentor: mentor(r.mentorId),
      askedBy: r.byRole === 'student' ? 'the student' : `the mentor (${person(r.byUserId)})`,
      reason: r.reason,
      lowRatings: low.filter((a) => a.studentUserId === r.studentId).map((a) => a.comment === '' ? a.reason : `${a.reason}: “${a.comment}”`),
      at: labels.minute(r.createdAt),
      mentors: mentorChoices.filter((m) => m.id !== r.mentorId),
      note: extra.values?.requestId === r.id ? extra.values.note ?? '' : ''
    })),
    repair: repair && {
      runId: repair.run.id,
      at: repair.run.createdAt ? labels.minute(repair.run.createdAt) : '',
      changes: repair.changes.map((c) => ({
        student: studentName.get(c.studentId) ?? person(c.studentId),
        from: c.fromMentorId === null ? 'no mentor' : mentor(c.fromMentorId),
        to: c.toMentorId === null ? 'no mentor (no seat left for them)' : mentor(c.toMentorId)
      })).sort((a, b) => a.student.localeCompare(b.student))
    },
    unpublish,
    history: historyRows(recent, { person, mentor }, labels)
  }
}
