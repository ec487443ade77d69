import { z } from 'zod'
import { SYNC_STATES } from './grade-status'
import { objectIdString } from '../../http/schemas'

export const GradeStatusJson = z.object({
  rulesSaved: z.boolean().describe('Grades are sent only once the course has saved completion rules'),
  unavailableReason: z.string().nullable().describe('Why the LMS cannot take grades for this course, if it cannot'),
  lineItem: z.object({ url: z.string(), source: z.enum(['launch', 'found', 'created']) }).nullable(),
  problem: z.string().nullable().describe('The last failure to create the gradebook column or to recompute, if any'),
  lineItemGone: z.object({
    url: z.string(),
    at: z.string().describe('When the LMS was first found not to have it'),
    held: z.boolean().describe('true: it is the column the LMS named for Mentorlink, and its scores are held until it is restored or another is named; false: Mentorlink found or created another column and sent the scores there')
  }).nullable().describe('The gradebook column last deleted in the LMS, if any'),
  recompute: z.enum(['running', 'waiting', 'idle']).describe('running: scores are being recomputed now; waiting: changes wait for a recompute (seconds, or until the LMS answers again); idle: every change is computed'),
  counts: z.record(z.enum(SYNC_STATES), z.number().int()),
  students: z.array(z.object({
    studentUserId: z.string(),
    name: z.string(),
    state: z.enum(SYNC_STATES),
    scoreGiven: z.number().nullable(),
    scoreMaximum: z.number().nullable(),
    gradingProgress: z.string().nullable(),
    comment: z.string().nullable(),
    syncedAt: z.string().nullable().describe('When a score last reached the gradebook'),
    attempts: z.number().int(),
    nextAttemptAt: z.string().nullable(),
    lastError: z.string().nullable().describe('Why the score waiting or failed did not get through yet')
  })),
  errors: z.array(z.object({
    studentUserId: z.string(),
    name: z.string(),
    at: z.string(),
    error: z.string(),
    statusCode: z.number().int().nullable(),
    resolved: z.boolean().describe('A later attempt got through')
  }))
})

export const RetryBody = z.strictObject({ studentUserId: objectIdString.optional().describe('Only this student; all failed and waiting scores when left out') })
export const RetryJson = z.object({ retried: z.number().int() })
