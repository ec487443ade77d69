import type { FieldError } from '../../domain/activities/field-error'

/**
 * Form fields described once, so one template renders every form of the mentoring record with labels, hints and
 * errors next to their fields, and one adapter turns what was typed into the JSON API's input (checked by the
 * same zod rules as the API).
 */
export type FieldType = 'date' | 'datetime-local' | 'time' | 'url' | 'number' | 'text' | 'textarea' | 'select' | 'list' | 'checkboxes'
export interface Option { value: string, label: string }
export interface FieldSpec {
  name: string
  label: string
  type: FieldType
  required?: boolean
  hint?: string
  options?: Option[]
  /** For optional selects: the label of the empty choice, which is sent as null. */
  none?: string
  /** A number's bounds, or a date's (YYYY-MM-DD). */
  min?: number | string
  max?: number | string
  maxLength?: number
}

export type FormBody = Record<string, string | string[] | undefined>
export type FormValues = Record<string, string | string[]>

const first = (v: string | string[] | undefined): string => Array.isArray(v) ? v[0] ?? '' : v ?? ''
const all = (v: string | string[] | undefined): string[] => v === undefined ? [] : [v].flat()

/** What was typed, per field, kept as text so a refused form shows it again unchanged. */
export const valuesOf = (fields: readonly FieldSpec[], body: FormBody): FormValues =>
  Object.fromEntries(fields.map((f) => [f.name, f.type === 'checkboxes' ? all(body[f.name]) : first(body[f.name])]))

/** The API input the typed values stand for; the zod schema of the API then judges it. */
export function inputOf (fields: readonly FieldSpec[], values: FormValues): Record<string, unknown> {
  const input: Record<string, unknown> = {}
  for (const f of fields) {
    const raw = values[f.name]
    if (f.type === 'checkboxes') { input[f.name] = [raw ?? []].flat(); continue }
    const text = typeof raw === 'string' ? raw.trim() : ''
    if (f.type === 'number') input[f.name] = text === '' ? undefined : Number(text)
    else if (f.type === 'list') input[f.name] = text.split(/[,\n]/).map((t) => t.trim()).filter((t) => t !== '')
    else if (f.type === 'select' && f.none !== undefined && text === '') input[f.name] = null
    else if (text === '' && !f.required && f.type !== 'textarea' && f.type !== 'text') input[f.name] = undefined
    else input[f.name] = typeof raw === 'string' ? raw : ''
  }
  return input
}

/** The template's view of each field: its value, its error and the ids tying hint and error to the control. */
export function fieldViews (fields: readonly FieldSpec[], values: FormValues, errors: readonly FieldError[] = []) {
  const errorOf = new Map(errors.map((e) => [e.field.split('.')[0] as string, e.message]))
  return fields.map((f) => {
    const value = values[f.name] ?? (f.type === 'checkboxes' ? [] : '')
    const error = errorOf.get(f.name)
    const describedBy = [f.hint ? `hint-${f.name}` : '', error ? `error-${f.name}` : ''].filter(Boolean).join(' ')
    const chosen = new Set([value].flat())
    return {
      ...f,
      id: `field-${f.name}`,
      value: Array.isArray(value) ? '' : value,
      error,
      describedBy,
      isTextarea: f.type === 'textarea',
      isSelect: f.type === 'select',
      isCheckboxes: f.type === 'checkboxes',
      inputType: f.type === 'list' ? 'text' : f.type,
      options: [
        ...(f.none !== undefined ? [{ value: '', label: f.none, selected: chosen.has('') }] : []),
        ...(f.options ?? []).map((o) => ({ ...o, selected: chosen.has(o.value), checked: chosen.has(o.value) }))
      ]
    }
  })
}

/** The error summary at the top of a refused form: every problem, linked to its field where the form has one. */
const OFF_FORM_LABELS: Record<string, string | null> = { kind: 'Kind of activity', studentUserId: 'Student', '(form)': null }

export function errorSummary (fields: readonly FieldSpec[], errors: readonly FieldError[]) {
  const labels = new Map(fields.map((f) => [f.name, f.label]))
  return errors.map((e) => {
    const name = e.field.split('.')[0] as string
    return { message: e.message, label: labels.get(name) ?? OFF_FORM_LABELS[name] ?? (name in OFF_FORM_LABELS ? null : name), href: labels.has(name) ? `#field-${name}` : null }
  })
}
