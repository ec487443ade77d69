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

