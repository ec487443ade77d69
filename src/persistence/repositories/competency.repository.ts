import { Types } from 'mongoose'
import type { Assessment, AssessmentStore, FrameworkRevision, FrameworkStore, InstructorCourses } from '../../domain/competencies/ports'
import type { Models } from '../database'
import { retryWhenBusy } from '../busy'
import { isDuplicateKey } from '../duplicate-key'
import { toId, toObjectId } from '../ids'

/** A unique insert: true when this writer's document went in, false when one with its `_id` was there first. */
async function insertOnce (write: () => Promise<unknown>): Promise<boolean> {
  try {
    await retryWhenBusy(write)
    return true
  } catch (err) {
    if (isDuplicateKey(err)) return false
    throw err
  }
}

type Row = Record<string, unknown>

const toRevision = (r: Row): FrameworkRevision => ({
  courseId: toId(r.courseId as Types.ObjectId),
  revision: Number(r.revision),
  competencies: (r.competencies as FrameworkRevision['competencies']).map(({ key, name, description, levels }) => ({ key, name, description, levels: [...levels] })),
  locked: r.locked === true,
  byUserId: r.byUserId ? toId(r.byUserId as Types.ObjectId) : null,
  at: r.at as Date,
  copiedFrom: r.copiedFrom ? toId(r.copiedFrom as Types.ObjectId) : null
})

const toAssessment = (r: Row): Assessment => ({
  courseId: toId(r.courseId as Types.ObjectId),
  studentUserId: toId(r.studentUserId as Types.ObjectId),
  point: r.point as Assessment['point'],
  side: r.side as Assessment['side'],
  byUserId: toId(r.byUserId as Types.ObjectId),
  ratings: (r.ratings as Assessment['ratings']).map(({ competency, level, comment }) => ({ competency, level, comment: comment ?? '' })),
  frameworkRevision: Number(r.frameworkRevision),
  submittedAt: r.submittedAt as Date,
  late: r.late === true
})

export function createFrameworkRepository ({ frameworkRevisions }: Pick<Models, 'frameworkRevisions'>): FrameworkStore {
  return {
    latest: async (courseId) => {
      const [doc] = await frameworkRevisions.find({ courseId: toObjectId(courseId) }).sort({ revision: -1 }).limit(1).lean()
      return doc === undefined ? null : toRevision(doc as unknown as Row)
    },
    insert: async (r) => await insertOnce(async () => await frameworkRevisions.create({
      _id: `${r.courseId}:${r.revision}`, courseId: toObjectId(r.courseId), revision: r.revision, competencies: r.competencies, locked: r.locked,
      ...(r.byUserId !== null ? { byUserId: toObjectId(r.byUserId) } : {}), at: r.at, ...(r.copiedFrom ? { copiedFrom: toObjectId(r.copiedFrom) } : {})
    }))
  }
}

export function createAssessmentRepository ({ assessments }: Pick<Models, 'assessments'>): AssessmentStore {
  return {
    insert: async (a) => await insertOnce(async () => await assessments.create({
      _id: `${a.courseId}:${a.studentUserId}:${a.point}:${a.side}`, courseId: toObjectId(a.courseId), studentUserId: toObjectId(a.studentUserId), point: a.point, side: a.side,
      byUserId: toObjectId(a.byUserId), ratings: a.ratings, frameworkRevision: a.frameworkRevision, submittedAt: a.submittedAt, late: a.late
    })),
    ofStudent: async (courseId, studentUserId) =>
      (await assessments.find({ courseId: toObjectId(courseId), studentUserId: toObjectId(studentUserId) }).lean()).map((r) => toAssessment(r as unknown as Row)),
    ofStudents: async (courseId, studentUserIds) => studentUserIds.length === 0
      ? []
      : (await assessments.find({ courseId: toObjectId(courseId), studentUserId: { $in: studentUserIds.map(toObjectId) } }).lean()).map((r) => toAssessment(r as unknown as Row)),
    ofCourse: async (courseId) => (await assessments.find({ courseId: toObjectId(courseId) }).sort({ submittedAt: 1 }).lean()).map((r) => toAssessment(r as unknown as Row)),
    any: async (courseId) => (await assessments.exists({ courseId: toObjectId(courseId) })) !== null
  }
}

/** The other courses of the same LMS where the person teaches, from their active instructor memberships. */
export function createInstructorCourses ({ memberships, courses }: Pick<Models, 'memberships' | 'courses'>): InstructorCourses {
  return {
    otherCoursesOf: async (courseId, userId) => {
      const [course, teaching] = await Promise.all([
        courses.findById(courseId).lean(),
        memberships.find({ userId: toObjectId(userId), role: 'instructor', status: 'active' }).lean()
      ])
      if (course === null) return []
      const ids = teaching.map((m) => m.courseId).filter((id) => String(id) !== courseId)
      if (ids.length === 0) return []
      const others = await courses.find({ _id: { $in: ids } }).lean()
      return others.filter((c) => c.issuer === course.issuer && c.clientId === course.clientId)
        .map((c) => ({ courseId: String(c._id), title: c.title || c.label || c.contextId }))
        .sort((a, b) => a.title.localeCompare(b.title))
    }
  }
}
