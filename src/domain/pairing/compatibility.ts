import type { PairingMentor, PairingStudent } from './pairing-types'

/** Weight of tag overlap (Jaccard) in the score; the rest is the goals bonus. */
export const TAG_WEIGHT = 0.9
export const GOAL_WEIGHT = 0.1
/** Scores are computed in integer millionths so that comparisons and sums are exact. */
export const SCORE_SCALE = 1_000_000

export interface CompatibilityBreakdown {
  /** In [0, 1]. */
  score: number
  sharedTags: string[]
  /** Mentor tags mentioned in the student's goals. */
  goalMatches: string[]
}

/** Lower-case, accents removed, runs of anything but letters, digits, + and # become one '-'. */
export function normaliseTag (tag: string): string {
  return tag
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}+#]+/gu, '-')
    .replace(/^-+|-+$/g, '')
}

export function normaliseTags (tags: readonly string[]): string[] {
  const unique = new Set<string>()
  for (const tag of tags) {
    const normal = normaliseTag(tag)
    if (normal !== '') unique.add(normal)
  }
  return [...unique]
}

/**
 * Goals as '-word-word-' so that a normalised tag occurs in them exactly when
 * `text.includes('-' + tag + '-')`: tags match whole words only.
 */
export function goalsText (goals: string | undefined): string {
  const normal = normaliseTag(goals ?? '')
  return normal === '' ? '' : `-${normal}-`
}

/** The score in millionths from overlap counts; shared by the fast index and compatibility(). */
export function scoreFromCounts (
  shared: number,
  studentTagCount: number,
  mentorTagCount: number,
  goalHits: number
): number {
  const union = studentTagCount + mentorTagCount - shared
  const jaccard = union === 0 ? 0 : shared / union
  const goalShare = mentorTagCount === 0 ? 0 : goalHits / mentorTagCount
  return Math.round((TAG_WEIGHT * jaccard + GOAL_WEIGHT * goalShare) * SCORE_SCALE)
}

/** How well a mentor fits a student: tag overlap plus a small bonus for goals naming mentor tags. */
export function compatibility (
  student: Pick<PairingStudent, 'tags' | 'goals'>,
  mentor: Pick<PairingMentor, 'tags'>
): CompatibilityBreakdown {
  const studentTags = new Set(normaliseTags(student.tags))
  const mentorTags = normaliseTags(mentor.tags)
  const goals = goalsText(student.goals)
  const sharedTags = mentorTags.filter(tag => studentTags.has(tag)).sort()
  const goalMatches = mentorTags.filter(tag => goals.includes(`-${tag}-`)).sort()
  const micro = scoreFromCounts(sharedTags.length, studentTags.size, mentorTags.length, goalMatches.length)
  return { score: micro / SCORE_SCALE, sharedTags, goalMatches }
}
