import type { PairExplanation } from '../pairing/pairing-types'

const ordinal = (n: number): string => {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'
  return `${n}${suffix}`
}

/** One plain sentence on why a student got a mentor, for the preview and the published pairing. */
export function explainPair (e: PairExplanation): string {
  const parts: string[] = []
  if (e.locked) parts.push('locked by the instructor')
  if (e.studentRank !== null) parts.push(`the student's ${ordinal(e.studentRank)} choice`)
  if (e.sharedTags.length > 0) parts.push(`shares ${e.sharedTags.join(', ')}`)
  if (e.goalMatches.length > 0) parts.push(`goals mention ${e.goalMatches.join(', ')}`)
  if (e.mentorRank !== null) parts.push(`the mentor's ${ordinal(e.mentorRank)} choice`)
  if (parts.length === 0) parts.push('best available by compatibility')
  return `${parts.join('; ')} (compatibility ${Math.round(e.compatibility * 100)}%)`
}
