import { normaliseTag } from '../pairing/compatibility'
import type { PairExplanation } from '../pairing/pairing-types'

/** How people wrote the tags pairing compares in normalised form (a mentor's spelling first). */
export type TagLabels = ReadonlyMap<string, string>

export function tagLabels (inputs: { mentors: ReadonlyArray<{ tags: readonly string[] }>, students: ReadonlyArray<{ tags: readonly string[] }> }): TagLabels {
  const labels = new Map<string, string>()
  for (const person of [...inputs.mentors, ...inputs.students]) {
    for (const tag of person.tags) {
      const key = normaliseTag(tag)
      if (key !== '' && !labels.has(key)) labels.set(key, tag.trim())
    }
  }
  return labels
}

const ordinal = (n: number): string => {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'
  return `${n}${suffix}`
}

/** One plain sentence on why a student got a mentor, for the preview and the published pairing. */
export function explainPair (e: PairExplanation, labels?: TagLabels): string {
  const label = (tag: string): string => labels?.get(tag) ?? tag.replace(/-/g, ' ')
  const parts: string[] = []
  if (e.locked) parts.push('locked by the instructor')
  if (e.studentRank !== null) parts.push(`the student's ${ordinal(e.studentRank)} choice`)
  if (e.sharedTags.length > 0) parts.push(`shares ${e.sharedTags.map(label).join(', ')}`)
  if (e.goalMatches.length > 0) parts.push(`goals mention ${e.goalMatches.map(label).join(', ')}`)
  if (e.mentorRank !== null) parts.push(`the mentor's ${ordinal(e.mentorRank)} choice`)
  if (parts.length === 0) parts.push('best available by compatibility')
  return `${parts.join('; ')} (compatibility ${Math.round(e.compatibility * 100)}%)`
}
