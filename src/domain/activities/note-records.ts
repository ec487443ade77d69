import type { z } from 'zod'
import { sameId, type Id } from '../ids'
import { dayToDate, type Day } from '../term/calendar-day'
import { assertWithinTerm } from '../term/term'
import type { Actor } from './access'
import { invalidField } from './field-error'
import type { Activity, Contact, Reflection, StudentRecordRepository } from './ports'
import type { ContactCreate, ContactPatch, ReflectionCreate, ReflectionPatch } from './record-fields'
import { createRecordService, type RecordServiceDeps } from './record-service'

/** Networking contacts: written by the student, read by them and their mentor; instructors only count them. */
export const createContactService = (repo: StudentRecordRepository<Contact>, deps: RecordServiceDeps) =>
  createRecordService<Contact, z.output<typeof ContactCreate>, z.output<typeof ContactPatch>>({
    entity: 'contact',
    label: 'Contact',
    repo,
    readers: ['student', 'mentor'],
    writers: ['student'],
    toNew: (_actor, input) => input,
    toUpdate: (_actor, _existing, patch) => patch
  }, deps)

/** Journal entries of a student, each dated inside the term and optionally about one of their own activities. */
export function createReflectionService (repo: StudentRecordRepository<Reflection>, activities: StudentRecordRepository<Activity>, deps: RecordServiceDeps) {
  const dated = (actor: Actor, date: Day) => { assertWithinTerm(actor.term, date, 'date'); return dayToDate(date) }
  const activityOf = async (actor: Actor, studentUserId: Id, activityId: Id | null | undefined): Promise<Id | null> => {
    if (!activityId) return null
    const activity = await activities.find(actor.courseId, activityId)
    if (!activity || !sameId(activity.studentUserId, studentUserId)) throw invalidField('activityId', 'is not one of your activities')
    return activity._id
  }
  return createRecordService<Reflection, z.output<typeof ReflectionCreate>, z.output<typeof ReflectionPatch>>({
    entity: 'reflection',
    label: 'Reflection',
    repo,
    readers: ['student', 'mentor', 'instructor'],
    writers: ['student'],
    toNew: async (actor, { date, text, activityId }, student) =>
      ({ date: dated(actor, date), text, activityId: await activityOf(actor, student, activityId) }),
    toUpdate: async (actor, existing, { date, text, activityId }) => ({
      ...(date !== undefined ? { date: dated(actor, date) } : {}),
      ...(text !== undefined ? { text } : {}),
      ...(activityId !== undefined ? { activityId: await activityOf(actor, existing.studentUserId, activityId) } : {})
    })
  }, deps)
}
