/** The rubric every competency is rated on: five levels, each described in words. */
export const LEVELS = [1, 2, 3, 4, 5] as const
export type Level = typeof LEVELS[number]

export const COMPETENCY_LIMITS = { competencies: 15, name: 60, description: 300, level: 200, comment: 1000 } as const

export interface Competency {
  /** Stable while the name changes: ratings refer to it. */
  key: string
  name: string
  description: string
  /** What levels 1 to 5 mean, in words (index 0 is level 1). */
  levels: string[]
}

/**
 * The capacities executive mentoring builds, as the course's source text names them (leadership and
 * decision-making, bargaining, oral persuasion and rhetoric, networking, setting short- and long-term goals).
 */
export const DEFAULT_COMPETENCIES: readonly Competency[] = [
  {
    key: 'leadership',
    name: 'Leadership',
    description: 'Gives direction, takes responsibility and brings people along.',
    levels: [
      'Rarely takes the lead; waits to be told what to do.',
      'Leads small tasks when asked; direction is not always clear to others.',
      'Leads a team task competently; sets direction and follows through.',
      'Leads with confidence in unfamiliar situations; others seek their direction.',
      'Inspires and develops others; leads through ambiguity and conflict.'
    ]
  },
  {
    key: 'decision-making',
    name: 'Decision-making',
    description: 'Weighs options, risks and evidence, and decides in time.',
    levels: [
      'Avoids decisions or decides without considering options.',
      'Decides on simple matters; rarely weighs risks or evidence.',
      'Weighs options and evidence and decides in reasonable time.',
      'Decides well under pressure and explains the trade-offs made.',
      'Makes sound, timely decisions on complex matters and learns from their outcomes.'
    ]
  },
  {
    key: 'bargaining',
    name: 'Bargaining and negotiation',
    description: 'Prepares, reads the other side and reaches agreements that last.',
    levels: [
      'Accepts the first offer or breaks off; no preparation.',
      'Prepares a position but has little sense of the other side\'s interests.',
      'Prepares interests and alternatives and reaches workable agreements.',
      'Creates options for both sides and holds firm on what matters.',
      'Leads complex negotiations to durable agreements that keep relationships intact.'
    ]
  },
  {
    key: 'oral-persuasion',
    name: 'Oral persuasion',
    description: 'Moves listeners to act through argument, evidence and appeal.',
    levels: [
      'Struggles to state a case aloud; listeners are not moved.',
      'States a case, but the argument or evidence is thin.',
      'Presents a clear, supported case that convinces a friendly audience.',
      'Adapts the case to the audience and answers objections on the spot.',
      'Persuades sceptical audiences and senior decision-makers reliably.'
    ]
  },
  {
    key: 'rhetoric',
    name: 'Rhetoric',
    description: 'Structures and delivers speech with clarity, style and presence.',
    levels: [
      'Speech is hard to follow; delivery distracts from the message.',
      'Speech has some structure; delivery is hesitant.',
      'Speech is well structured and delivered clearly.',
      'Uses structure, imagery and delivery deliberately to hold attention.',
      'Speaks with memorable clarity and presence in any setting.'
    ]
  },
  {
    key: 'networking',
    name: 'Networking',
    description: 'Builds and keeps professional relationships that help both sides.',
    levels: [
      'Rarely approaches new people; few professional contacts.',
      'Makes contacts at events but seldom follows up.',
      'Builds contacts deliberately and follows up.',
      'Keeps a network that gives and receives help; makes introductions.',
      'Is a trusted connector; the network opens opportunities for others too.'
    ]
  },
  {
    key: 'goal-setting',
    name: 'Goal setting',
    description: 'Sets short- and long-term goals and works towards them.',
    levels: [
      'Has no stated goals.',
      'States goals that are vague or unconnected to a plan.',
      'Sets specific short- and long-term goals with steps and dates.',
      'Reviews goals and adjusts the plan as circumstances change.',
      'Sets ambitious goals that align personal and organisational aims, and meets them.'
    ]
  }
]

/** The points in the term when students and mentors rate: start, mid-term, end. */
export const POINT_KEYS = ['start', 'mid', 'end'] as const
export type PointKey = typeof POINT_KEYS[number]
export const POINT_LABELS: Record<PointKey, string> = { start: 'Start of term', mid: 'Mid-term', end: 'End of term' }

/** Who rates: the student themselves, or their mentor. */
export const SIDES = ['self', 'mentor'] as const
export type Side = typeof SIDES[number]
export const SIDE_LABELS: Record<Side, string> = { self: 'Self-rating', mentor: 'Mentor\'s rating' }

/** Cohort figures are shown only when at least this many students contribute (no small-cell disclosure). */
export const MIN_COHORT = 5
