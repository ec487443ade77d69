import { Schema, type Connection, type InferSchemaType } from 'mongoose'

export const COURSE_ROLES = ['instructor', 'mentor', 'student'] as const

/** A user's place in a course: the LIS roles the LMS sent and the Mentorlink role they map to. */
const membershipSchema = new Schema({
  courseId: { type: Schema.Types.ObjectId, required: true },
  userId: { type: Schema.Types.ObjectId, required: true },
  role: { type: String, enum: COURSE_ROLES, required: true },
  lisRoles: { type: [String], default: [] },
  status: { type: String, enum: ['active', 'dropped'], default: 'active' },
  /**
   * Launched as the LMS's test user (Canvas's Student View). Set at launch only: Names and Roles does not say it,
   * so a roster sync never clears it.
   */
  testUser: { type: Boolean, default: false },
  lastLaunchAt: { type: Date },
  /**
   * The member's name and email as the LMS last gave them (a launch or a roster sync), so a course's list of
   * students reads its memberships alone. Absent on memberships older than this field: readers fall back to the user.
   */
  name: { type: String },
  email: { type: String }
}, { timestamps: true })
membershipSchema.index({ courseId: 1, userId: 1 }, { unique: true })
membershipSchema.index({ courseId: 1, role: 1 })

/**
 * Students who take part: active, and not the LMS's test user, whom the LMS would refuse a grade (Canvas: 422) and
 * who must not take a mentor's place.
 */
export const PARTICIPATING_STUDENTS = { role: 'student', status: 'active', testUser: { $ne: true } } as const

export type MembershipDoc = InferSchemaType<typeof membershipSchema>
export const membershipModel = (conn: Connection) => conn.model('Membership', membershipSchema, 'memberships')
