import { z } from 'zod'
import { isTimeZone } from '../time/zones'
import { DayText, isDay } from './calendar-day'

export const MILESTONES_MAX = 20

const Milestone = z.strictObject({
  title: z.string({ error: 'is required' }).trim(),
  date: z.string({ error: 'is required' }).trim()
})

/** Each milestone's problems name which one ("Milestone 3: …"): a form lists many rows, an API caller many items. */
const Milestones = z.array(Milestone).max(MILESTONES_MAX, `must have at most ${MILESTONES_MAX} milestones`).superRefine((milestones, ctx) => {
  milestones.forEach(({ title, date }, i) => {
    const which = `Milestone ${i + 1}:`
    if (title === '') ctx.addIssue({ code: 'custom', path: [i, 'title'], message: `${which} the title is required` })
    else if (title.length > 120) ctx.addIssue({ code: 'custom', path: [i, 'title'], message: `${which} the title must be at most 120 characters` })
    if (date === '') ctx.addIssue({ code: 'custom', path: [i, 'date'], message: `${which} the date is required` })
    else if (!isDay(date)) ctx.addIssue({ code: 'custom', path: [i, 'date'], message: `${which} the date must be a date as YYYY-MM-DD` })
  })
})

/** The instructor's term settings; a date the LMS supplies may be left out, it wins anyway. */
export const TermInput = z.strictObject({
  start: DayText.optional(),
  end: DayText.optional(),
  timeZone: z.string().trim().refine(isTimeZone, 'must be a time zone such as Europe/Berlin').optional(),
  milestones: Milestones.default([])
}).refine((t) => !t.start || !t.end || t.end >= t.start, { path: ['end'], message: 'must not be before the start date' })
export type TermInput = z.output<typeof TermInput>
