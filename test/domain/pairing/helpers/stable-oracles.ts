import type { PreferenceLists } from '../../../../src/domain/pairing/preference-lists'

/** Every valid matching (chosen entry per student, -1 = none): for tiny markets only. */
export function allMatchings (lists: PreferenceLists, capacity: Int32Array): Int32Array[] {
  const found: Int32Array[] = []
  const assigned = new Int32Array(lists.studentCount).fill(-1)
  const load = new Int32Array(lists.mentorCount)
  const visit = (s: number): void => {
    if (s === lists.studentCount) { found.push(assigned.slice()); return }
    assigned[s] = -1
    visit(s + 1)
    for (let e = lists.start[s]!; e < lists.start[s + 1]!; e++) {
      const m = lists.mentor[e]!
      if (load[m]! >= capacity[m]!) continue
      load[m]!++
      assigned[s] = e
      visit(s + 1)
      load[m]!--
      assigned[s] = -1
    }
  }
  visit(0)
  return found
}

/** Blocking pairs by the textbook definition, written independently of the library's metric. */
export function blockingPairsNaive (lists: PreferenceLists, capacity: Int32Array, assigned: Int32Array): Array<[number, number]> {
  const mentees: number[][] = Array.from({ length: lists.mentorCount }, () => [])
  assigned.forEach((e) => { if (e >= 0) mentees[lists.mentor[e]!]!.push(e) })
  const blocking: Array<[number, number]> = []
  for (let s = 0; s < lists.studentCount; s++) {
    for (let e = lists.start[s]!; e < lists.start[s + 1]!; e++) {
      const m = lists.mentor[e]!
      const studentWants = assigned[s] === -1 || e < assigned[s]!
      const mentorWants = mentees[m]!.length < capacity[m]! || mentees[m]!.some(other => lists.mentorKey[other]! > lists.mentorKey[e]!)
      if (studentWants && mentorWants && assigned[s] !== e) blocking.push([s, m])
    }
  }
  return blocking
}

/** Rank of a student's outcome: list position, or the list length when unmatched (worse than any mentor). */
export function outcomeRank (lists: PreferenceLists, assigned: Int32Array, s: number): number {
  const e = assigned[s]!
  return e >= 0 ? e - lists.start[s]! : lists.start[s + 1]! - lists.start[s]!
}

/** Mentor-proposing deferred acceptance: the mentor-optimal stable matching, as a second implementation. */
export function mentorProposing (lists: PreferenceLists, capacity: Int32Array): Int32Array {
  const byMentor: number[][] = Array.from({ length: lists.mentorCount }, () => [])
  for (let e = 0; e < lists.mentor.length; e++) byMentor[lists.mentor[e]!]!.push(e)
  byMentor.forEach(entries => entries.sort((a, b) => lists.mentorKey[a]! - lists.mentorKey[b]!))
  const studentOf = (e: number): number => {
    let s = 0
    while (lists.start[s + 1]! <= e) s++
    return s
  }
  const assigned = new Int32Array(lists.studentCount).fill(-1)
  const held = new Int32Array(lists.mentorCount)
  const next = new Int32Array(lists.mentorCount)
  const queue = Array.from({ length: lists.mentorCount }, (_, m) => m)
  while (queue.length > 0) {
    const m = queue.pop()!
    while (held[m]! < capacity[m]! && next[m]! < byMentor[m]!.length) {
      const e = byMentor[m]![next[m]!++]!
      const s = studentOf(e)
      const current = assigned[s]!
      if (current !== -1 && current < e) continue
      if (current !== -1) {
        const previous = lists.mentor[current]!
        held[previous]!--
        queue.push(previous)
      }
      assigned[s] = e
      held[m]!++
    }
  }
  return assigned
}
