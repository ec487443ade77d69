import { z } from 'zod'
import { DayText } from './calendar-day'

export const MILESTONES_MAX = 20

const Milestone = z.strictObject({
  title: z.string({ error: 'is required' }).trim().min(1, 'is required').max(120, 'must be at most 120 characters'),
  date: DayText
})

/** The instructor's term settings; a date the LMS supplies may be left out, it wins anyway. */
export const TermInput = z.strictObject({
  start: DayText.optional(),
  end: DayText.optional(),
  milestones: z.array(Milestone).max(MILESTONES_MAX, `must have at most ${MILESTONES_MAX} milestones`).default([])
}).refine((t) => !t.start || !t.end || t.end >= t.start, { path: ['end'], message: 'must not be before the start date' })
export type TermInput = z.output<typeof TermInput>
