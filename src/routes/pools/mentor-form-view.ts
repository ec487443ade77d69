import type { FieldError } from '../../domain/pools/field-errors'
import { AVAILABILITY_MAX, BIO_MAX, CAPACITY_MAX, CAPACITY_MIN, joinTags } from '../../domain/pools/mentor-fields'
import type { Mentor } from '../../domain/pools/ports'

interface FieldSpec {
  name: string
  label: string
  type?: string
  required?: boolean
  multiline?: boolean
  hint?: string
  attrs?: { min?: number, max?: number, maxlength?: number, inputmode?: string }
}

const FIELDS: FieldSpec[] = [
  { name: 'name', label: 'Name', required: true },
  { name: 'email', label: 'Email', type: 'email', required: true, hint: 'Each email can be in the pool once.' },
  { name: 'organisation', label: 'Organisation' },
  { name: 'jobTitle', label: 'Job title' },
  { name: 'expertise', label: 'Expertise', hint: 'Tags separated by commas or semicolons, for example: finance; supply chain' },
  {
    name: 'capacity', label: 'Capacity', type: 'number', required: true,
    hint: `The most mentees at once, a whole number from ${CAPACITY_MIN} to ${CAPACITY_MAX}.`, attrs: { min: CAPACITY_MIN, max: CAPACITY_MAX, inputmode: 'numeric' }
  },
  { name: 'bio', label: 'Short bio', multiline: true, hint: `At most ${BIO_MAX} characters.`, attrs: { maxlength: BIO_MAX } },
  {
    name: 'availability', label: 'When you are usually available', multiline: true,
    hint: `For example: Tuesday and Thursday mornings, by video or at our office. At most ${AVAILABILITY_MAX} characters.`, attrs: { maxlength: AVAILABILITY_MAX }
  }
]
const LABELS = new Map(FIELDS.map((f) => [f.name, f.label]))
const idOf = (name: string): string => `mentor-${name}`

/** A mentor's saved values as the form shows them. */
export const formValuesOf = (m: Mentor): Record<string, string> => ({
  name: m.name, email: m.email, organisation: m.organisation, jobTitle: m.jobTitle, expertise: joinTags(m.expertise), capacity: String(m.capacity), bio: m.bio, availability: m.availability ?? ''
})

/** The add/edit form's fields with what the user typed and each field's error next to it, plus the error summary. */
export function mentorFormView (values: Record<string, string>, errors: FieldError[], only?: readonly string[]) {
  const errorOf = new Map(errors.map((e) => [e.field, e.message]))
  const fields = FIELDS.filter((f) => only === undefined || only.includes(f.name)).map((f) => {
    const id = idOf(f.name)
    const error = errorOf.get(f.name)
    const describedBy = [f.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ')
    return { ...f, id, type: f.type ?? 'text', value: values[f.name] ?? '', error, describedBy, ...f.attrs }
  })
  const errorSummary = errors.map((e) => ({ href: `#${LABELS.has(e.field) ? idOf(e.field) : 'mentor-form'}`, label: LABELS.get(e.field) ?? e.field, message: e.message }))
  return { fields, errorSummary }
}
