import type { PreferenceLists } from './preference-lists'

/**
 * The largest number of students that can be placed at once within capacities
 * (maximum b-matching over the listed pairs). Greedy start, then augmenting paths searched
 * in phases with visit marks shared inside a phase (each phase is O(L)); a phase that
 * augments nothing proves maximality. Depth-first search runs on an explicit stack.
 */
export function maxPlacements (lists: PreferenceLists, capacity: Int32Array): number {
  const { studentCount: n, mentorCount, start, mentor } = lists
  const seatStart = new Int32Array(mentorCount + 1)
  for (let m = 0; m < mentorCount; m++) seatStart[m + 1] = seatStart[m]! + Math.max(0, capacity[m]!)
  const holder = new Int32Array(seatStart[mentorCount]!)
  const load = new Int32Array(mentorCount)
  const placed = new Uint8Array(n)
  let total = 0
  const seat = (s: number, slot: number): void => { holder[slot] = s; placed[s] = 1 }

  for (let s = 0; s < n; s++) {
    for (let e = start[s]!; e < start[s + 1]!; e++) {
      const m = mentor[e]!
      if (seatStart[m]! + load[m]! < seatStart[m + 1]!) {
        seat(s, seatStart[m]! + load[m]!++)
        total++
        break
      }
    }
  }

  // stack frames alternate: student (pointer = next entry), mentor (pointer = next seat)
  const frameNode = new Int32Array(2 * n + 2)
  const framePtr = new Int32Array(2 * n + 2)
  const visited = new Int32Array(mentorCount)
  let phase = 0
  let augmented = 1
  while (augmented > 0) {
    phase++
    augmented = 0
    for (let s0 = 0; s0 < n; s0++) {
      if (placed[s0] === 1) continue
      let sp = 1
      frameNode[0] = s0
      framePtr[0] = start[s0]!
      while (sp > 0) {
        const top = sp - 1
        const node = frameNode[top]!
        if (node < n) {
          if (framePtr[top] === start[node + 1]) { sp--; continue }
          const m = mentor[framePtr[top]!++]!
          if (visited[m] === phase) continue
          visited[m] = phase
          if (seatStart[m]! + load[m]! < seatStart[m + 1]!) {
            // free seat: shift each student on the stack into the seat of the next one
            let slot = seatStart[m]! + load[m]!++
            for (let f = top; f >= 0; f -= 2) {
              const s = frameNode[f]!
              const freed = f > 0 ? framePtr[f - 1]! - 1 : -1
              seat(s, slot)
              slot = freed
            }
            total++
            augmented++
            break
          }
          frameNode[sp] = n + m
          framePtr[sp++] = seatStart[m]!
        } else {
          const m = node - n
          if (framePtr[top] === seatStart[m]! + load[m]!) { sp--; continue }
          const s = holder[framePtr[top]!++]!
          frameNode[sp] = s
          framePtr[sp++] = start[s]!
        }
      }
    }
  }
  return total
}
