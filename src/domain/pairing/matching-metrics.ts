import type { PreferenceLists } from './preference-lists'

/** Mentees per mentor for a matching given as the chosen entry per student (-1 = none). */
export function mentorLoads (lists: PreferenceLists, assigned: Int32Array): Int32Array {
  const load = new Int32Array(lists.mentorCount)
  for (const e of assigned) if (e >= 0) load[lists.mentor[e]!]!++
  return load
}

/** Sum of the chosen entries' weights (compatibility in millionths). */
export function totalWeight (lists: PreferenceLists, assigned: Int32Array): number {
  let total = 0
  for (const e of assigned) if (e >= 0) total += lists.weight[e]!
  return total
}

/**
 * Blocking pairs ("justified complaints"): a listed pair (s, m) where s is unmatched or
 * prefers m to its mentor, and m has a free seat or prefers s to its worst mentee.
 * O(L): s's preferred mentors are exactly the entries before its chosen one.
 */
export function countBlockingPairs (lists: PreferenceLists, capacity: Int32Array, assigned: Int32Array): number {
  const { studentCount, mentorCount, start, mentor, mentorKey } = lists
  const load = mentorLoads(lists, assigned)
  const worst = new Float64Array(mentorCount).fill(-Infinity)
  for (const e of assigned) {
    if (e >= 0) worst[mentor[e]!] = Math.max(worst[mentor[e]!]!, mentorKey[e]!)
  }
  let blocking = 0
  for (let s = 0; s < studentCount; s++) {
    const chosen = assigned[s]!
    const end = chosen >= 0 ? chosen : start[s + 1]!
    for (let e = start[s]!; e < end; e++) {
      const m = mentor[e]!
      if (load[m]! < capacity[m]! || mentorKey[e]! < worst[m]!) blocking++
    }
  }
  return blocking
}
