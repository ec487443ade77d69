import { z } from 'zod'

/** Mentor fields as the JSON API takes them, and as pages and CSV files give them (all text), one set of rules. */

export const CAPACITY_MIN = 1
export const CAPACITY_MAX = 50
export const BIO_MAX = 1000
export const AVAILABILITY_MAX = 300
/** What a new mentor's capacity starts at, in the form and for an accepted LMS suggestion. */
export const DEFAULT_CAPACITY = 3
const TAGS_MAX = 20
const TAG_MAX = 40

const requiredText = (max: number) => z.string({ error: 'is required' }).trim()
  .min(1, 'is required').max(max, `must be at most ${max} characters`)
const optionalText = (max: number) => z.string({ error: 'must be text' }).trim().max(max, `must be at most ${max} characters`)

const name = requiredText(120)
const email = requiredText(254).toLowerCase().pipe(z.email('must be a valid email address'))
const organisation = optionalText(120)
const jobTitle = optionalText(120)
const bio = optionalText(BIO_MAX)
const availability = optionalText(AVAILABILITY_MAX)
const tag = z.string().trim().min(1, 'tags must not be empty').max(TAG_MAX, `tags must be at most ${TAG_MAX} characters`)
  .refine((t) => !t.includes(';'), 'tags must not contain ";"')
const expertise = z.array(tag)
  .max(TAGS_MAX, `must have at most ${TAGS_MAX} tags`)
  .transform((tags) => [...new Map(tags.map((t) => [t.toLowerCase(), t])).values()])
const capacityRange = `must be a whole number from ${CAPACITY_MIN} to ${CAPACITY_MAX}`
const capacity = z.number({ error: capacityRange }).int(capacityRange).min(CAPACITY_MIN, capacityRange).max(CAPACITY_MAX, capacityRange)
const active = z.boolean({ error: 'must be true or false' })

/** A new mentor in the JSON API. */
export const MentorCreate = z.strictObject({
  name,
  email,
  organisation: organisation.default(''),
  jobTitle: jobTitle.default(''),
  expertise: expertise.default([]),
  capacity,
  bio: bio.default(''),
  availability: availability.optional(),
  active: active.default(true)
})
export type MentorInput = z.output<typeof MentorCreate>

/** Changes to a mentor in the JSON API: any subset of the fields, at least one. */
export const MentorPatch = z.strictObject({ name, email, organisation, jobTitle, expertise, capacity, bio, availability, active })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'give at least one field to change')
export type MentorChanges = z.output<typeof MentorPatch>

/** Tags as one text: separated by semicolons (commas also accepted in forms, where no CSV quoting is involved). */
export const splitTags = (text: string, separators = /[;]/): string[] =>
  text.split(separators).map((t) => t.trim()).filter((t) => t !== '')
export const joinTags = (tags: readonly string[]): string => tags.join('; ')

const YES = ['yes', 'true', '1', 'active']
const NO = ['no', 'false', '0', 'inactive']

/** The same mentor as text fields (a form or a CSV row). `tagSeparators` differs: a CSV cell keeps its commas. */
export function mentorTextSchema (tagSeparators: RegExp) {
  return z.object({
    name,
    email,
    organisation: organisation.default(''),
    jobTitle: jobTitle.default(''),
    expertise: z.string({ error: 'must be text' }).default('').transform((t) => splitTags(t, tagSeparators)).pipe(expertise),
    capacity: z.string({ error: 'is required' }).trim().regex(/^\d+$/, capacityRange).transform(Number).pipe(capacity),
    bio: bio.default(''),
    active: z.string({ error: 'must be yes or no' }).trim().toLowerCase()
      .refine((v) => v === '' || YES.includes(v) || NO.includes(v), 'must be yes or no')
      .transform((v) => !NO.includes(v))
      .default(true)
  })
}

/** The add/edit form; (de)activating is a separate action, so the form never changes it. Availability is the mentor's to say (not in CSV files). */
export const MentorForm = mentorTextSchema(/[;,]/).omit({ active: true }).extend({ availability: availability.default('') })
export const MentorCsvRow = mentorTextSchema(/[;]/)
/** What a mentor may change of their own entry: how students see them, not who they are or how many they take. */
export const OwnProfileForm = MentorForm.pick({ organisation: true, jobTitle: true, expertise: true, bio: true, availability: true })
export const OWN_PROFILE_FIELDS = ['organisation', 'jobTitle', 'expertise', 'bio', 'availability'] as const

export const MENTOR_FIELD_NAMES = ['name', 'email', 'organisation', 'jobTitle', 'expertise', 'capacity', 'bio', 'active'] as const
export type MentorFieldName = typeof MENTOR_FIELD_NAMES[number]
