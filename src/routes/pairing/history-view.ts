import type { PairingChange } from '../../domain/pairing-workflow/pairing-history'
import type { TimeLabels } from '../../http/date-labels'

type NameOf = (id: string | null | undefined) => string

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`

/** What one history entry says happened, in the instructor's words. */
function whatHappened (c: PairingChange, student: NameOf, mentor: NameOf): string {
  switch (c.kind) {
    case 'run': return `${c.reason || 'Ran the pairing'} (preview)`
    case 'repair-preview': return 'Previewed a re-pair of everyone'
    case 'publish': return `Published the pairing: ${plural(c.count ?? 0, 'student', 'students')} paired`
    case 'republish': return `Applied the re-pair: ${plural(c.count ?? 0, 'student', 'students')} changed`
    case 'unpublish': return `Took the pairing back to preview: ${plural(c.count ?? 0, 'student no longer sees their', 'students no longer see their')} mentor`
    case 'place': return `${student(c.studentId)} paired with ${mentor(c.toMentorId)}`
    case 'move': return `${student(c.studentId)} moved from ${mentor(c.fromMentorId)} to ${mentor(c.toMentorId)}`
    case 'swap': return `${student(c.studentId)} swapped from ${mentor(c.fromMentorId)} to ${mentor(c.toMentorId)}`
    case 'release': return `${student(c.studentId)} no longer has a mentor`
    case 'request': return `A different mentor was asked for ${student(c.studentId)}`
    case 'request-accepted': return `Request for ${student(c.studentId)} accepted`
    case 'request-declined': return `Request for ${student(c.studentId)} declined`
    case 'reminder': return `Reminded ${plural(c.count ?? 0, 'student', 'students')} to fill in their intake`
  }
}

/** The pairing history as the page's table shows it: newest first, names instead of ids. */
export function historyRows (changes: readonly PairingChange[], names: { person: NameOf, mentor: NameOf }, labels: TimeLabels) {
  return changes.map((c) => ({
    at: labels.minute(c.at),
    what: whatHappened(c, names.person, names.mentor),
    by: c.byUserId === null ? 'Mentorlink (automatic)' : names.person(c.byUserId),
    // A preview's reason is what was done, shown under What; a re-pair preview's is its own name.
    why: c.kind === 'run' || c.kind === 'repair-preview' ? '' : c.reason
  }))
}

/** The history as the JSON API answers it: ids, kinds and ISO times. */
export const historyJson = (changes: readonly PairingChange[]) => changes.map((c) => ({
  kind: c.kind,
  at: c.at.toISOString(),
  byUserId: c.byUserId,
  reason: c.reason,
  studentId: c.studentId ?? null,
  fromMentorId: c.fromMentorId ?? null,
  toMentorId: c.toMentorId ?? null,
  count: c.count ?? null
}))
