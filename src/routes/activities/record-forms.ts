import type { z } from 'zod'
import type { Actor } from '../../domain/activities/access'
import type { FieldError } from '../../domain/activities/field-error'
import type { StudentRecord } from '../../domain/activities/ports'
import {
  ActivityCreate, ActivityPatch, ContactCreate, ContactPatch, GoalCreate, GoalPatch, ReflectionCreate, ReflectionPatch
} from '../../domain/activities/record-fields'
import type { RecordService } from '../../domain/activities/record-service'
import type { ActivityKind } from '../../domain/activities/vocabulary'
import { submit } from '../../http/forms'
import type { Id } from '../../domain/ids'
import type { FormValues } from './form-fields'
import { storedValues } from './form-specs'
import type { ActivityServices } from '../../services'

export const RECORD_TYPES = ['session', 'coaching', 'meeting', 'goal', 'contact', 'reflection'] as const
export type RecordType = typeof RECORD_TYPES[number]
export const isActivity = (type: RecordType): type is ActivityKind => type === 'session' || type === 'coaching' || type === 'meeting'

/** One kind of record as its form pages use it: the API's rules and service behind a form-shaped interface. */
export interface RecordForm {
  noun: string
  /** Fields the form does not show but the API input needs, e.g. the activity's kind. */
  extra: Record<string, unknown>
  get: (actor: Actor, id: string) => Promise<{ studentUserId: Id, values: FormValues }>
  create: (actor: Actor, input: Record<string, unknown>) => Promise<FieldError[] | null>
  update: (actor: Actor, id: string, input: Record<string, unknown>) => Promise<FieldError[] | null>
  remove: (actor: Actor, id: string) => Promise<void>
}

function recordForm<T extends StudentRecord, C extends { studentUserId?: string }, P> (
  noun: string, service: RecordService<T, C, P>, Create: z.ZodType<C>, Patch: z.ZodType<P>, stored: (record: T) => FormValues, extra: Record<string, unknown> = {}
): RecordForm {
  return {
    noun,
    extra,
    get: async (actor, id) => {
      const record = await service.get(actor, id)
      return { studentUserId: record.studentUserId, values: stored(record) }
    },
    create: async (actor, input) => (await submit(Create, { ...input, ...extra }, async (data) => await service.create(actor, data)))?.errors ?? null,
    update: async (actor, id, input) => (await submit(Patch, { ...input, ...extra }, async (data) => await service.update(actor, id, data)))?.errors ?? null,
    remove: async (actor, id) => { await service.remove(actor, id) }
  }
}

const ACTIVITY_NOUNS: Record<ActivityKind, string> = { session: '1:1 mentoring session', coaching: 'skills coaching session', meeting: 'observed high-level meeting' }

export function recordForms (services: ActivityServices): Record<RecordType, RecordForm> {
  const activity = (kind: ActivityKind) =>
    recordForm(ACTIVITY_NOUNS[kind], services.activities, ActivityCreate, ActivityPatch, storedValues.activity, { kind })
  return {
    session: activity('session'),
    coaching: activity('coaching'),
    meeting: activity('meeting'),
    goal: recordForm('goal', services.goals, GoalCreate, GoalPatch, storedValues.goal),
    contact: recordForm('networking contact', services.contacts, ContactCreate, ContactPatch, storedValues.contact),
    reflection: recordForm('reflection', services.reflections, ReflectionCreate, ReflectionPatch, storedValues.reflection)
  }
}
