import { goalsText, normaliseTag, scoreFromCounts } from './compatibility'
import type { PairingMentor, PairingStudent } from './pairing-types'

/** Sorted tag ids per person, flattened: person p owns ids[start[p] .. start[p + 1]). */
interface TagSets {
  start: Int32Array
  ids: Int32Array
}

function toTagSets (sets: number[][]): TagSets {
  const start = new Int32Array(sets.length + 1)
  sets.forEach((set, p) => { start[p + 1] = start[p]! + set.length })
  const ids = new Int32Array(start[sets.length]!)
  sets.forEach((set, p) => { ids.set(set.sort((a, b) => a - b), start[p]!) })
  return { start, ids }
}

/** How many ids the two sorted sets share; also collects them when `out` is given. */
function countCommon (a: TagSets, p: number, b: TagSets, q: number, out?: number[]): number {
  let i = a.start[p]!
  let j = b.start[q]!
  const iEnd = a.start[p + 1]!
  const jEnd = b.start[q + 1]!
  let common = 0
  while (i < iEnd && j < jEnd) {
    const x = a.ids[i]!
    const y = b.ids[j]!
    if (x === y) {
      out?.push(x)
      common++
      i++
      j++
    } else if (x < y) i++; else j++
  }
  return common
}

/**
 * Compatibility over interned tags, equal to compatibility() (tested) but fast enough for
 * every student against every mentor. Only mentor tags can be shared or found in goals,
 * so students keep just those ids plus their own tag count.
 */
export class CompatibilityIndex {
  readonly mentorCount: number
  private readonly tagNames: string[] = []
  private readonly studentTagCount: Int32Array
  private readonly studentTags: TagSets
  private readonly goalTags: TagSets
  private readonly mentorTags: TagSets
  private readonly postings: TagSets
  private readonly sharedCount: Int32Array
  private readonly goalCount: Int32Array

  constructor (
    students: ReadonlyArray<Pick<PairingStudent, 'tags' | 'goals'>>,
    mentors: ReadonlyArray<Pick<PairingMentor, 'tags'>>
  ) {
    // the same raw tags and goals recur across thousands of people: normalise each once
    const normal = memoise(normaliseTag)
    const tagId = new Map<string, number>()
    let longestTag = 0
    const mentorSets = mentors.map(mentor => uniqueNormal(mentor.tags, normal).map(tag => {
      let id = tagId.get(tag)
      if (id === undefined) {
        id = this.tagNames.push(tag) - 1
        tagId.set(tag, id)
        longestTag = Math.max(longestTag, tag.split('-').length)
      }
      return id
    }))
    const goalIds = memoise((goals: string) => goalTagIds(goalsText(goals), tagId, longestTag))
    this.mentorCount = mentors.length
    this.mentorTags = toTagSets(mentorSets)
    this.studentTagCount = new Int32Array(students.length)
    const studentSets: number[][] = []
    const goalSets: number[][] = []
    students.forEach((student, s) => {
      const tags = uniqueNormal(student.tags, normal)
      this.studentTagCount[s] = tags.length
      const known: number[] = []
      for (const tag of tags) {
        const id = tagId.get(tag)
        if (id !== undefined) known.push(id)
      }
      studentSets.push(known)
      goalSets.push(student.goals === undefined ? [] : [...goalIds(student.goals)])
    })
    this.studentTags = toTagSets(studentSets)
    this.goalTags = toTagSets(goalSets)
    this.postings = invert(mentorSets, this.tagNames.length)
    this.sharedCount = new Int32Array(mentors.length)
    this.goalCount = new Int32Array(mentors.length)
  }

  /** Compatibility in millionths. */
  score (student: number, mentor: number): number {
    const mentorTags = this.mentorTags.start[mentor + 1]! - this.mentorTags.start[mentor]!
    return scoreFromCounts(
      countCommon(this.studentTags, student, this.mentorTags, mentor),
      this.studentTagCount[student]!,
      mentorTags,
      countCommon(this.goalTags, student, this.mentorTags, mentor)
    )
  }

  /** Scores (millionths) of one student against every mentor, written into `out`. */
  scoreRow (student: number, out: Int32Array): void {
    const { sharedCount, goalCount, mentorTags } = this
    this.countPostings(this.studentTags, student, sharedCount)
    this.countPostings(this.goalTags, student, goalCount)
    const own = this.studentTagCount[student]!
    for (let m = 0; m < this.mentorCount; m++) {
      const tags = mentorTags.start[m + 1]! - mentorTags.start[m]!
      out[m] = scoreFromCounts(sharedCount[m]!, own, tags, goalCount[m]!)
    }
    sharedCount.fill(0)
    goalCount.fill(0)
  }

  sharedTags (student: number, mentor: number): string[] {
    return this.commonNames(this.studentTags, student, mentor)
  }

  goalMatches (student: number, mentor: number): string[] {
    return this.commonNames(this.goalTags, student, mentor)
  }

  private countPostings (sets: TagSets, student: number, counts: Int32Array): void {
    const { start, ids } = this.postings
    for (let i = sets.start[student]!; i < sets.start[student + 1]!; i++) {
      const tag = sets.ids[i]!
      for (let k = start[tag]!; k < start[tag + 1]!; k++) counts[ids[k]!]!++
    }
  }

  private commonNames (sets: TagSets, student: number, mentor: number): string[] {
    const ids: number[] = []
    countCommon(sets, student, this.mentorTags, mentor, ids)
    return ids.map(id => this.tagNames[id]!).sort()
  }
}

function memoise<T> (compute: (key: string) => T): (key: string) => T {
  const cache = new Map<string, T>()
  return key => {
    let value = cache.get(key)
    if (value === undefined) {
      value = compute(key)
      cache.set(key, value)
    }
    return value
  }
}

/** Same as normaliseTags(), through a memoised normaliser. */
function uniqueNormal (tags: readonly string[], normal: (tag: string) => string): string[] {
  const unique: string[] = []
  for (const tag of tags) {
    const n = normal(tag)
    if (n !== '' && !unique.includes(n)) unique.push(n)
  }
  return unique
}

/** Ids of known tags that occur as whole-word runs in the goals text ('-word-word-'). */
function goalTagIds (goals: string, tagId: Map<string, number>, longestTag: number): number[] {
  if (goals === '') return []
  const words = goals.slice(1, -1).split('-')
  const found = new Set<number>()
  for (let i = 0; i < words.length; i++) {
    let phrase = ''
    for (let n = 0; n < longestTag && i + n < words.length; n++) {
      phrase = n === 0 ? words[i]! : `${phrase}-${words[i + n]!}`
      const id = tagId.get(phrase)
      if (id !== undefined) found.add(id)
    }
  }
  return [...found]
}

/** Mentors per tag id. */
function invert (mentorSets: number[][], tagCount: number): TagSets {
  const byTag: number[][] = Array.from({ length: tagCount }, () => [])
  mentorSets.forEach((set, m) => { for (const tag of set) byTag[tag]!.push(m) })
  return toTagSets(byTag)
}
