import type { PreferenceLists } from './preference-lists'

/**
 * Student-proposing deferred acceptance for many-to-one matching with capacities
 * (Gale & Shapley 1962; hospitals/residents as in Gusfield & Irving 1989).
 * Returns the student-optimal stable matching as the chosen list entry per student
 * (-1 if unmatched). The result does not depend on the order in which students propose
 * (McVitie & Wilson 1971).
 *
 * Each mentor keeps its held students in a max-heap on mentorKey, laid out in one shared
 * seat array; a rejection chain is followed in a loop, never by recursion. O(L log c).
 */
export function deferredAcceptance (lists: PreferenceLists, capacity: Int32Array): Int32Array {
  const { studentCount: n, mentorCount, start, mentor, mentorKey } = lists
  const seatStart = new Int32Array(mentorCount + 1)
  for (let m = 0; m < mentorCount; m++) seatStart[m + 1] = seatStart[m]! + Math.max(0, capacity[m]!)
  const heldEntry = new Int32Array(seatStart[mentorCount]!)
  const heldCount = new Int32Array(mentorCount)
  const next = start.slice(0, n)
  const assigned = new Int32Array(n).fill(-1)

  for (let first = 0; first < n; first++) {
    let s = first
    while (s >= 0 && next[s]! < start[s + 1]!) {
      const e = next[s]!++
      const m = mentor[e]!
      const base = seatStart[m]!
      const seats = seatStart[m + 1]! - base
      const held = heldCount[m]!
      if (held < seats) {
        siftUp(heldEntry, mentorKey, base, held, e)
        heldCount[m] = held + 1
        assigned[s] = e
        s = -1
      } else if (seats > 0 && mentorKey[heldEntry[base]!]! > mentorKey[e]!) {
        const rejected = heldEntry[base]!
        siftDown(heldEntry, mentorKey, base, seats, e)
        assigned[s] = e
        s = studentOf(start, rejected)
        assigned[s] = -1
      }
    }
  }
  return assigned
}

/** The student owning entry e (binary search over the list starts). */
function studentOf (start: Int32Array, e: number): number {
  let lo = 0
  let hi = start.length - 2
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (start[mid]! <= e) lo = mid; else hi = mid - 1
  }
  return lo
}

/** Inserts e at position `size` of the max-heap heap[base ..]. */
function siftUp (heap: Int32Array, key: Float64Array, base: number, size: number, e: number): void {
  let i = size
  const k = key[e]!
  while (i > 0) {
    const parent = (i - 1) >> 1
    const p = heap[base + parent]!
    if (key[p]! >= k) break
    heap[base + i] = p
    i = parent
  }
  heap[base + i] = e
}

/** Replaces the top of the max-heap heap[base .. base + size) by e. */
function siftDown (heap: Int32Array, key: Float64Array, base: number, size: number, e: number): void {
  let i = 0
  const k = key[e]!
  for (;;) {
    let child = 2 * i + 1
    if (child >= size) break
    if (child + 1 < size && key[heap[base + child + 1]!]! > key[heap[base + child]!]!) child++
    const c = heap[base + child]!
    if (key[c]! <= k) break
    heap[base + i] = c
    i = child
  }
  heap[base + i] = e
}
