import type { PreferenceLists } from '../../../../src/domain/pairing/preference-lists'

export interface ListShape {
  students: number
  mentors: number
  maxList: number
  /** Shortest list (default 0). */
  minList?: number
  maxCapacity: number
  /** Number of distinct weight levels; few levels make many ties. */
  weightLevels?: number
}

export interface RandomMarket {
  lists: PreferenceLists
  capacity: Int32Array
}

export const randomInt = (random: () => number, below: number): number => Math.floor(random() * below)

export function shuffle<T> (random: () => number, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1)
    const t = items[i]!
    items[i] = items[j]!
    items[j] = t
  }
  return items
}

/** Random strict preferences on integer ids, in the engines' flat format. */
export function randomMarket (random: () => number, shape: ListShape): RandomMarket {
  const { students, mentors, maxList, minList = 0, maxCapacity, weightLevels = 4 } = shape
  const mentorOrder = Array.from({ length: mentors }, () => shuffle(random, Array.from({ length: students }, (_, s) => s)))
  const keyOf = mentorOrder.map(order => {
    const key = new Map<number, number>()
    order.forEach((s, position) => key.set(s, position))
    return key
  })
  const start = [0]
  const mentor: number[] = []
  const weight: number[] = []
  const mentorKey: number[] = []
  for (let s = 0; s < students; s++) {
    const longest = Math.min(maxList, mentors)
    const length = Math.min(minList, longest) + randomInt(random, longest - Math.min(minList, longest) + 1)
    for (const m of shuffle(random, Array.from({ length: mentors }, (_, j) => j)).slice(0, length)) {
      mentor.push(m)
      weight.push(randomInt(random, weightLevels) * 1000)
      mentorKey.push(keyOf[m]!.get(s)!)
    }
    start.push(mentor.length)
  }
  return {
    lists: {
      studentCount: students,
      mentorCount: mentors,
      start: Int32Array.from(start),
      mentor: Int32Array.from(mentor),
      weight: Int32Array.from(weight),
      mentorKey: Float64Array.from(mentorKey)
    },
    capacity: Int32Array.from({ length: mentors }, () => randomInt(random, maxCapacity + 1))
  }
}

/** The entry of student s for mentor m, or -1. */
export function entryOf (lists: PreferenceLists, s: number, m: number): number {
  for (let e = lists.start[s]!; e < lists.start[s + 1]!; e++) if (lists.mentor[e] === m) return e
  return -1
}
