import type { PairingMentor } from './pairing-types'

/**
 * Each mentor's own ranking of students, as (student, position) pairs sorted by student in one
 * flat array: a popular mentor may rank thousands, and 100,000 small Maps cost far more.
 */
export class MentorRankings {
  /** Length of the longest ranking as given (unknown ids included). */
  readonly longest: number
  private readonly start: Int32Array
  private readonly student: Int32Array
  private readonly position: Int32Array

  constructor (mentors: readonly PairingMentor[], studentIndex: ReadonlyMap<string, number>) {
    const sorted = mentors.map(mentor => {
      const ranking = mentor.ranking ?? []
      const keys: number[] = []
      ranking.forEach((id, position) => {
        const s = studentIndex.get(id)
        // packed so that a plain numeric sort orders by student, then position (2^32 > any position)
        if (s !== undefined) keys.push(s * 4294967296 + position)
      })
      return Float64Array.from(keys).sort()
    })
    this.longest = mentors.reduce((most, mentor) => Math.max(most, mentor.ranking?.length ?? 0), 0)
    this.start = new Int32Array(mentors.length + 1)
    const total = sorted.reduce((sum, keys) => sum + keys.length, 0)
    this.student = new Int32Array(total)
    this.position = new Int32Array(total)
    let end = 0
    sorted.forEach((keys, m) => {
      let previous = -1
      for (const key of keys) {
        const s = Math.floor(key / 4294967296)
        if (s === previous) continue // a repeated id keeps its first position
        previous = s
        this.student[end] = s
        this.position[end++] = key - s * 4294967296
      }
      this.start[m + 1] = end
    })
  }

  /** 0-based position of student s in mentor m's ranking, or -1 if the mentor did not rank s. */
  positionOf (m: number, s: number): number {
    let lo = this.start[m]!
    let hi = this.start[m + 1]! - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const at = this.student[mid]!
      if (at === s) return this.position[mid]!
      if (at < s) lo = mid + 1; else hi = mid - 1
    }
    return -1
  }
}
