import type { Types } from 'mongoose'
import type { CheckInStore, FeedbackStore, RelationshipCheckIn, SessionFeedback } from '../../domain/feedback/ports'
import type { Models } from '../database'
import { retryWhenBusy } from '../busy'
import { isDuplicateKey } from '../duplicate-key'
import { toId, toObjectId } from '../ids'

type Row = Record<string, unknown>

const toFeedback = (r: Row): SessionFeedback => ({
  courseId: toId(r.courseId as Types.ObjectId),
  activityId: toId(r.activityId as Types.ObjectId),
  studentUserId: toId(r.studentUserId as Types.ObjectId),
  side: r.side as SessionFeedback['side'],
  byUserId: toId(r.byUserId as Types.ObjectId),
  rating: Number(r.rating),
  comment: String(r.comment ?? ''),
  sessionDate: r.sessionDate as Date,
  at: r.at as Date
})

export function createFeedbackRepository ({ sessionFeedback }: Pick<Models, 'sessionFeedback'>): FeedbackStore {
  return {
    insert: async (f) => {
      try {
        await retryWhenBusy(async () => await sessionFeedback.create({
          _id: `${f.activityId}:${f.side}`, courseId: toObjectId(f.courseId), activityId: toObjectId(f.activityId), studentUserId: toObjectId(f.studentUserId),
          side: f.side, byUserId: toObjectId(f.byUserId), rating: f.rating, comment: f.comment, sessionDate: f.sessionDate, at: f.at
        }))
        return true
      } catch (err) {
        if (isDuplicateKey(err)) return false
        throw err
      }
    },
    ofCourse: async (courseId) => (await sessionFeedback.find({ courseId: toObjectId(courseId) }).lean()).map((r) => toFeedback(r as unknown as Row))
  }
}

const toCheckIn = (r: Row): RelationshipCheckIn => ({
  courseId: toId(r.courseId as Types.ObjectId),
  studentUserId: toId(r.studentUserId as Types.ObjectId),
  point: r.point as RelationshipCheckIn['point'],
  side: r.side as RelationshipCheckIn['side'],
  byUserId: toId(r.byUserId as Types.ObjectId),
  rating: Number(r.rating),
  comment: String(r.comment ?? ''),
  at: r.at as Date
})

export function createCheckInRepository ({ relationshipCheckIns }: Pick<Models, 'relationshipCheckIns'>): CheckInStore {
  return {
    insert: async (c) => {
      try {
        await retryWhenBusy(async () => await relationshipCheckIns.create({
          _id: `${c.courseId}:${c.studentUserId}:${c.point}:${c.side}`, courseId: toObjectId(c.courseId), studentUserId: toObjectId(c.studentUserId),
          point: c.point, side: c.side, byUserId: toObjectId(c.byUserId), rating: c.rating, comment: c.comment, at: c.at
        }))
        return true
      } catch (err) {
        if (isDuplicateKey(err)) return false
        throw err
      }
    },
    ofCourse: async (courseId) => (await relationshipCheckIns.find({ courseId: toObjectId(courseId) }).lean()).map((r) => toCheckIn(r as unknown as Row))
  }
}
