import { SCORE_SCALE } from './compatibility'
import { ELIGIBLE, type PairingContext } from './pairing-context'
import { PairingInputError } from './pairing-error'
import { pairHash } from './seeded-random'

/** Preferences as flat typed arrays, the form both pairing engines run on. */
export interface PreferenceLists {
  readonly studentCount: number
  readonly mentorCount: number
  /** Student s lists entries start[s] .. start[s + 1] - 1, best first. */
  readonly start: Int32Array
  readonly mentor: Int32Array
  /** Compatibility of the entry's pair, in millionths. */
  readonly weight: Int32Array
  /** The mentor's preference for the entry's student: lower is better, distinct per mentor. */
  readonly mentorKey: Float64Array
}

/** About 160 MB of lists; beyond it a course needs a listLength. */
export const MAX_ENTRIES = 10_000_000

/**
 * Orders one student's eligible mentors: their own ranking first, then by compatibility,
 * ties broken by a seeded per-pair hash (so tied students do not all pick the same mentor).
 */
export class StudentPreferences {
  /** The latest list: mentors and their compatibility, best first. */
  readonly mentors: Int32Array
  readonly weights: Int32Array
  private readonly row: Int32Array
  private readonly listed: Int32Array
  private readonly keys: Float64Array
  /** Low bits of a sort key that hold the mentor's lottery rank, so sorting bare numbers sorts mentors. */
  private readonly rankScale: number
  private readonly rankBits: number

  constructor (private readonly ctx: PairingContext) {
    const m = ctx.mentors.length
    this.mentors = new Int32Array(m)
    this.weights = new Int32Array(m)
    this.row = new Int32Array(m)
    this.listed = new Int32Array(m).fill(-1)
    this.keys = new Float64Array(m)
    this.rankBits = Math.ceil(Math.log2(Math.max(1, m)))
    this.rankScale = 2 ** this.rankBits
  }

  /** Writes the list of student s (at most `limit` mentors) and returns its length. */
  build (s: number, limit = Infinity): number {
    const { ctx, mentors, weights, listed } = this
    const exclusion = ctx.exclusionsFor(s)
    const available = (m: number): boolean => ctx.capacity[m]! > 0 && listed[m] !== s && exclusion(m) === ELIGIBLE
    let length = 0
    for (const id of ctx.students[s]!.ranking ?? []) {
      const m = ctx.mentorIndex.get(id)
      if (length >= limit) return length
      if (m === undefined || !available(m)) continue
      listed[m] = s
      mentors[length] = m
      weights[length++] = ctx.compat.score(s, m)
    }
    if (length >= limit) return length
    const { row, keys, rankBits, rankScale } = this
    ctx.compat.scoreRow(s, row)
    const studentHash = ctx.studentLottery.hashes[s]!
    const mentorHashes = ctx.mentorLottery.hashes
    const ranks = ctx.mentorLottery.ranks
    let count = 0
    for (let m = 0; m < ctx.mentors.length; m++) {
      if (!available(m)) continue
      // Higher compatibility first, then a per-pair hash, then the mentor lottery, packed into one number so that
      // the candidates sort as bare numbers (a typed array's own sort, many times faster than one with a comparator).
      // Exact in a double: (SCORE_SCALE + 1) * 2^32 < 2^53.
      keys[count++] = (SCORE_SCALE - row[m]!) * 4294967296 + (pairHash(studentHash, mentorHashes[m]!) >>> rankBits) * rankScale + ranks[m]!
    }
    const chosen = smallest(keys.subarray(0, count), Math.min(limit - length, count))
    const byRank = ctx.mentorLottery.order
    for (const key of chosen) {
      const m = byRank[key % rankScale]!
      mentors[length] = m
      weights[length++] = row[m]!
    }
    return length
  }
}

/** The k smallest keys, sorted; reorders `keys`. */
function smallest (keys: Float64Array, k: number): Float64Array {
  if (k * 8 >= keys.length) return keys.sort().subarray(0, k)
  // bounded max-heap of the best k so far
  const heap = keys.slice(0, k)
  const siftDown = (i: number): void => {
    for (;;) {
      let worst = i
      const l = 2 * i + 1
      if (l < k && heap[l]! > heap[worst]!) worst = l
      if (l + 1 < k && heap[l + 1]! > heap[worst]!) worst = l + 1
      if (worst === i) return
      const t = heap[i]!
      heap[i] = heap[worst]!
      heap[worst] = t
      i = worst
    }
  }
  for (let i = (k >> 1) - 1; i >= 0; i--) siftDown(i)
  for (let c = k; c < keys.length; c++) {
    if (keys[c]! < heap[0]!) {
      heap[0] = keys[c]!
      siftDown(0)
    }
  }
  return heap.sort()
}

/** Lists of every student; locked students get an empty list (their seat is fixed). */
export function buildPreferenceLists (ctx: PairingContext, listLength?: number): PreferenceLists {
  const n = ctx.students.length
  const mentorCount = ctx.mentors.length
  const open = ctx.capacity.reduce((sum, seats) => sum + (seats > 0 ? 1 : 0), 0)
  const perStudent = Math.min(listLength ?? Infinity, open)
  const bound = n * perStudent
  if (bound > MAX_ENTRIES) {
    throw new PairingInputError(`preference lists would hold up to ${bound} entries (limit ${MAX_ENTRIES}); set a smaller listLength`)
  }
  const start = new Int32Array(n + 1)
  const mentor = new Int32Array(bound)
  const weight = new Int32Array(bound)
  const mentorKey = new Float64Array(bound)
  const prefs = new StudentPreferences(ctx)
  const rankings = ctx.mentorRankings
  const unrankedBase = Math.max(n, rankings.longest)
  const anyRanking = rankings.longest > 0
  const lottery = ctx.studentLottery.ranks
  let end = 0
  for (let s = 0; s < n; s++) {
    const length = ctx.lockedMentor[s] === -1 ? prefs.build(s, perStudent) : 0
    for (let i = 0; i < length; i++, end++) {
      const m = prefs.mentors[i]!
      const w = prefs.weights[i]!
      mentor[end] = m
      weight[end] = w
      // mentors prefer the students they ranked, then higher compatibility, then the lottery
      const position = anyRanking ? rankings.positionOf(m, s) : -1
      mentorKey[end] = position >= 0 ? position : unrankedBase + (SCORE_SCALE - w) * n + lottery[s]!
    }
    start[s + 1] = end
  }
  return {
    studentCount: n,
    mentorCount,
    start,
    mentor: mentor.slice(0, end),
    weight: weight.slice(0, end),
    mentorKey: mentorKey.slice(0, end)
  }
}
