import { z } from 'zod'
import { objectIdString } from '../../http/schemas'

/** HTML checkboxes send "on" when ticked and nothing otherwise. */
const checkbox = z.union([z.literal('on'), z.literal('true'), z.literal('false'), z.boolean()]).optional()
  .transform((v) => v === 'on' || v === 'true' || v === true)

export const SettingsBody = z.object({
  session: z.string().optional(),
  method: z.enum(['stable', 'best-fit']),
  balanceLoad: checkbox,
  differentOrganisation: checkbox,
  reservePercent: z.coerce.number().int().min(0, 'must be 0 to 50').max(50, 'must be 0 to 50'),
  seed: z.string().trim().min(1).max(64)
})

export const AdjustBody = z.object({
  session: z.string().optional(),
  action: z.enum(['lock', 'unlock', 'forbid', 'unforbid', 'move']),
  studentId: objectIdString,
  mentorId: objectIdString
})

export const SessionBody = z.object({ session: z.string().optional() })

export const PublishBody = z.object({
  session: z.string().optional(),
  runId: objectIdString,
  allowEmpty: checkbox.describe('Publish even though the run pairs nobody (refused otherwise)')
})

/** The page's form: the instructor ticks that they checked the pairs (the browser asks for it; this is the server's check). */
export const PublishForm = PublishBody.extend({
  confirm: z.literal('on', { error: 'Tick "I have checked this pairing" to publish' })
})

const Figures = z.object({ placed: z.number(), unplaced: z.number(), totalCompatibility: z.number(), blockingPairs: z.number() })

export const RunSummary = z.object({
  runId: z.string(),
  method: z.enum(['stable', 'best-fit']),
  published: z.boolean(),
  pairs: z.array(z.object({ studentId: z.string(), mentorId: z.string(), explanation: z.string() })),
  unpaired: z.array(z.object({ studentId: z.string(), reason: z.string() })),
  loads: z.record(z.string(), z.number()),
  comparison: z.object({ stable: Figures, 'best-fit': Figures })
})

export const PlacementReport = z.object({
  placed: z.array(z.object({ studentId: z.string(), mentorId: z.string() })).describe('Students who got a mentor now'),
  unplaced: z.array(z.object({ studentId: z.string(), reason: z.string() })).describe('Students still without one, and why')
})


const reason = (what: string) => z.string({ error: `Say why ${what}` }).trim().min(1, `Say why ${what}`).max(500, 'Keep the reason under 500 characters')

export const RemindForm = SessionBody

/** Move a student to another mentor, or swap the mentors of two students, after publication. */
export const ChangeBody = z.discriminatedUnion('action', [
  z.object({ session: z.string().optional(), action: z.literal('move'), studentId: objectIdString, mentorId: objectIdString, reason: reason('you move this student') }),
  z.object({ session: z.string().optional(), action: z.literal('swap'), studentId: objectIdString, otherStudentId: objectIdString, reason: reason('you swap these students') })
], { error: 'Choose whether to move the student or swap them with another' })

const isId = (value: string | undefined): value is string => objectIdString.safeParse(value).success

/** The page's change form: the student to change, what to do, to whom, and why. */
export const ChangeForm = z.object({
  session: z.string().optional(),
  studentId: objectIdString.describe('Student'),
  action: z.enum(['move', 'swap'], { error: 'Choose whether to move the student or swap them with another' }),
  mentorId: z.string().optional(),
  otherStudentId: z.string().optional(),
  reason: reason('you change this pair')
}).transform((v, ctx) => {
  if (v.action === 'move') {
    if (!isId(v.mentorId)) ctx.addIssue({ code: 'custom', path: ['mentorId'], message: 'Choose the mentor to move the student to' })
    return { action: 'move' as const, studentId: v.studentId, mentorId: v.mentorId ?? '', reason: v.reason }
  }
  if (!isId(v.otherStudentId)) ctx.addIssue({ code: 'custom', path: ['otherStudentId'], message: 'Choose the student to swap mentors with' })
  return { action: 'swap' as const, studentId: v.studentId, otherStudentId: v.otherStudentId ?? '', reason: v.reason }
})

export const RepublishForm = z.object({
  session: z.string().optional(),
  runId: objectIdString,
  reason: reason('you re-pair everyone'),
  confirm: z.literal('on', { error: 'Tick "I have checked who changes mentor" to apply the re-pair' })
})

export const UnpublishForm = z.object({
  session: z.string().optional(),
  reason: reason('you take the pairing back'),
  confirm: z.literal('on', { error: 'Tick "Take the pairing back to preview" to unpublish' })
})

export const DecideForm = z.object({
  session: z.string().optional(),
  requestId: objectIdString,
  decision: z.enum(['accept', 'decline'], { error: 'Choose accept or decline' }),
  mentorId: z.string().optional(),
  note: z.string().trim().max(500, 'Keep the note under 500 characters').default('')
}).refine((v) => v.decision === 'decline' || isId(v.mentorId), { path: ['mentorId'], message: 'Choose the new mentor to accept the request' })
  .refine((v) => v.decision === 'accept' || v.note !== '', { path: ['note'], message: 'Write a note saying why you decline: the person who asked sees it' })

export const RequestForm = z.object({
  session: z.string().optional(),
  studentId: objectIdString.optional(),
  reason: reason('you would like a different pairing')
})

export const ReasonBody = z.object({ session: z.string().optional(), reason: reason('you make this change') })
export const RepublishBody = z.object({ session: z.string().optional(), runId: objectIdString, reason: reason('you re-pair everyone') })
export const DecisionBody = z.discriminatedUnion('decision', [
  z.object({ session: z.string().optional(), decision: z.literal('accept'), mentorId: objectIdString, note: z.string().trim().max(500).default('') }),
  z.object({ session: z.string().optional(), decision: z.literal('decline'), note: z.string().trim().min(1, 'Write a note saying why you decline').max(500) })
])
export const HistoryQuery = z.object({
  session: z.string().optional(),
  limit: z.coerce.number().int().min(1, 'Limit must be 1 to 200').max(200, 'Limit must be 1 to 200').default(50),
  before: z.iso.datetime({ error: 'Before must be a date and time such as 2026-12-05T14:30:00Z' }).optional(),
  student: objectIdString.optional()
})
const RepairChangeJson = z.object({ studentId: z.string(), fromMentorId: z.string().nullable(), toMentorId: z.string().nullable() })
export const RepairPreviewJson = z.object({ runId: z.string(), changes: z.array(RepairChangeJson) })
export const HistoryJson = z.array(z.object({
  kind: z.string(), at: z.string(), byUserId: z.string().nullable(), reason: z.string(),
  studentId: z.string().nullable(), fromMentorId: z.string().nullable(), toMentorId: z.string().nullable(), count: z.number().nullable()
}))
export const RequestJson = z.object({
  id: z.string(), studentId: z.string(), mentorId: z.string(), byRole: z.enum(['student', 'mentor']), reason: z.string(),
  status: z.enum(['open', 'accepted', 'declined']), note: z.string(), createdAt: z.string(), toMentorId: z.string().nullable()
})
