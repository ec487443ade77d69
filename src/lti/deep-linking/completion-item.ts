import { z } from 'zod'

export const COMPLETION_DEFAULTS = { label: 'Mentoring programme completion', scoreMaximum: 100 }

/** The instructor's choices for the graded completion item, as typed into the deep linking page. */
export const CompletionChoice = z.object({
  label: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
  scoreMaximum: z.string().trim().regex(/^\d+(\.\d+)?$/, 'must be a number, such as 100')
    .transform(Number).pipe(z.number().positive('must be more than 0').max(10000, 'must be at most 10000'))
})
export type CompletionChoice = z.infer<typeof CompletionChoice>

/**
 * The one content item Mentorlink returns: a link to itself carrying a line item, so the platform creates the
 * gradebook column that completion grades go to. resourceId and tag let Mentorlink find that column later.
 */
export function completionContentItem (launchUrl: string, choice: CompletionChoice) {
  return {
    type: 'ltiResourceLink',
    title: choice.label,
    url: launchUrl,
    lineItem: { label: choice.label, scoreMaximum: choice.scoreMaximum, resourceId: 'mentorlink-completion', tag: 'mentorlink' }
  }
}
