import type { PreferenceLists } from '../../../../src/domain/pairing/preference-lists'

export interface Objective {
  placed: number
  /** Total weight minus seat costs. */
  value: number
}

export type SeatCost = (mentor: number, seat: number) => number

/** The objective best fit maximises: placed first, then weight minus seat costs. */
export function objectiveOf (lists: PreferenceLists, assigned: Int32Array, seatCost?: SeatCost): Objective {
  const load = new Int32Array(lists.mentorCount)
  let placed = 0
  let value = 0
  for (const e of assigned) {
    if (e < 0) continue
    const m = lists.mentor[e]!
    placed++
    value += lists.weight[e]! - (seatCost?.(m, load[m]!) ?? 0)
    load[m]!++
  }
  return { placed, value }
}

/** Exhaustive optimum for tiny markets. */
export function bruteForceBest (lists: PreferenceLists, capacity: Int32Array, seatCost?: SeatCost): Objective {
  let best: Objective = { placed: -1, value: -Infinity }
  const assigned = new Int32Array(lists.studentCount).fill(-1)
  const load = new Int32Array(lists.mentorCount)
  const visit = (s: number): void => {
    if (s === lists.studentCount) {
      const here = objectiveOf(lists, assigned, seatCost)
      if (here.placed > best.placed || (here.placed === best.placed && here.value > best.value)) best = here
      return
    }
    assigned[s] = -1
    visit(s + 1)
    for (let e = lists.start[s]!; e < lists.start[s + 1]!; e++) {
      const m = lists.mentor[e]!
      if (load[m]! >= capacity[m]!) continue
      load[m]!++
      assigned[s] = e
      visit(s + 1)
      load[m]!--
    }
    assigned[s] = -1
  }
  visit(0)
  return best
}

/**
 * Textbook min-cost max-flow: one unit per Bellman–Ford shortest path from the source,
 * over an explicit arc list (unit parallel arcs per seat). Slow but independent.
 */
export function minCostMaxFlow (lists: PreferenceLists, capacity: Int32Array, seatCost?: SeatCost): Objective {
  const n = lists.studentCount
  const source = n + lists.mentorCount
  const sink = source + 1
  const to: number[] = []
  const cap: number[] = []
  const cost: number[] = []
  const from: number[] = []
  const arc = (u: number, v: number, c: number, w: number): void => {
    from.push(u, v); to.push(v, u); cap.push(c, 0); cost.push(w, -w)
  }
  for (let s = 0; s < n; s++) {
    arc(source, s, 1, 0)
    for (let e = lists.start[s]!; e < lists.start[s + 1]!; e++) arc(s, n + lists.mentor[e]!, 1, -lists.weight[e]!)
  }
  for (let m = 0; m < lists.mentorCount; m++) {
    for (let k = 0; k < capacity[m]!; k++) arc(n + m, sink, 1, seatCost?.(m, k) ?? 0)
  }
  let placed = 0
  let totalCost = 0
  for (;;) {
    const dist = new Array<number>(sink + 1).fill(Infinity)
    const via = new Array<number>(sink + 1).fill(-1)
    dist[source] = 0
    for (let round = 0; round <= sink; round++) {
      let changed = false
      for (let a = 0; a < to.length; a++) {
        if (cap[a]! > 0 && dist[from[a]!]! + cost[a]! < dist[to[a]!]!) {
          dist[to[a]!] = dist[from[a]!]! + cost[a]!
          via[to[a]!] = a
          changed = true
        }
      }
      if (!changed) break
    }
    if (dist[sink] === Infinity) return { placed, value: 0 - totalCost } // never -0, which toEqual tells from 0
    for (let v = sink; v !== source; v = from[via[v]!]!) {
      cap[via[v]!]!--
      cap[via[v]! ^ 1]!++
    }
    placed++
    totalCost += dist[sink]!
  }
}
