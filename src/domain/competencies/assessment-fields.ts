import { z } from 'zod'
import { IdText } from '../activities/record-fields'
import { COMPETENCY_LIMITS, LEVELS, POINT_KEYS } from './vocabulary'

export const PointKeyText = z.enum(POINT_KEYS, { error: `must be one of ${POINT_KEYS.join(', ')}` })

export const RatingInput = z.strictObject({
  competency: z.string({ error: 'is required: the competency\'s key' }).trim().min(1, 'is required: the competency\'s key'),
  level: z.number({ error: `must be a whole number from 1 to ${LEVELS.length}` }).int(`must be a whole number from 1 to ${LEVELS.length}`)
    .min(1, `must be a whole number from 1 to ${LEVELS.length}`).max(LEVELS.length, `must be a whole number from 1 to ${LEVELS.length}`),
  comment: z.string().trim().max(COMPETENCY_LIMITS.comment, `must be at most ${COMPETENCY_LIMITS.comment} characters`).default('')
})

/** A submission: the student rates themselves (no `studentUserId`, or their own); a mentor names the mentee. */
export const AssessmentInput = z.strictObject({
  studentUserId: IdText.optional(),
  point: PointKeyText,
  /** The framework revision the form showed: a submission made from an older one is refused (409), not judged against competencies its rater never saw. */
  frameworkRevision: z.number().int().min(0).optional(),
  ratings: z.array(RatingInput, { error: 'must be a list of ratings, one per competency' }).min(1, 'must rate every competency').max(COMPETENCY_LIMITS.competencies)
})
export type AssessmentInput = z.output<typeof AssessmentInput>
