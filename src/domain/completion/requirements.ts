/** What completion can require: one count per student each, read from the mentoring record through a ProgressSource. */
export const REQUIREMENT_KEYS = ['sessions', 'coaching', 'meetings', 'fieldTrips', 'shortGoals', 'longGoals', 'reflections', 'assessments'] as const
export type RequirementKey = typeof REQUIREMENT_KEYS[number]

/** One student's counts, every key present (zero when nothing counts). */
export type CompletionCounts = Record<RequirementKey, number>

interface RequirementWords {
  /** Column and form label. */
  label: string
  /** For "Missing: 2 more verified 1:1 sessions". */
  one: string
  many: string
}

export const REQUIREMENTS: Record<RequirementKey, RequirementWords> = {
  sessions: { label: 'Verified 1:1 mentoring sessions', one: 'verified 1:1 session', many: 'verified 1:1 sessions' },
  coaching: { label: 'Verified skills coaching sessions', one: 'verified coaching session', many: 'verified coaching sessions' },
  meetings: { label: 'Observed high-level meetings', one: 'observed meeting', many: 'observed meetings' },
  fieldTrips: { label: 'Field trips attended', one: 'field trip attended', many: 'field trips attended' },
  shortGoals: { label: 'Short-term goals set', one: 'short-term goal', many: 'short-term goals' },
  longGoals: { label: 'Long-term goals set', one: 'long-term goal', many: 'long-term goals' },
  reflections: { label: 'Reflections (the final one included)', one: 'reflection', many: 'reflections' },
  assessments: { label: 'Self-assessments submitted (start, mid-term, end)', one: 'self-assessment', many: 'self-assessments' }
}

export const zeroCounts = (): CompletionCounts =>
  Object.fromEntries(REQUIREMENT_KEYS.map((k) => [k, 0])) as CompletionCounts

export const countPhrase = (key: RequirementKey, n: number): string => `${n} more ${n === 1 ? REQUIREMENTS[key].one : REQUIREMENTS[key].many}`
