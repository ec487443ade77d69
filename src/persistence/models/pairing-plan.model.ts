import { Schema, type Connection, type InferSchemaType } from 'mongoose'

const pairSchema = { studentUserId: Schema.Types.ObjectId, mentorId: Schema.Types.ObjectId, _id: false }

/** The instructor's pairing choices for a course: method, constraints and the pairs they locked or forbade. */
const pairingPlanSchema = new Schema({
  courseId: { type: Schema.Types.ObjectId, required: true },
  method: { type: String, enum: ['stable', 'best-fit'], default: 'stable' },
  balanceLoad: { type: Boolean, default: false },
  differentOrganisation: { type: Boolean, default: false },
  reserveFraction: { type: Number, default: 0.1, min: 0, max: 0.5 },
  seed: { type: String, default: 'mentorlink' },
  locked: { type: [pairSchema], default: [] },
  forbidden: { type: [pairSchema], default: [] },
  /** The last adjustment (see UndoStep): one step of undo. */
  undo: {
    type: new Schema({
      locked: [pairSchema], forbidden: [pairSchema], label: String,
      knockOns: [{ studentUserId: Schema.Types.ObjectId, fromMentorId: Schema.Types.ObjectId, toMentorId: Schema.Types.ObjectId, _id: false }]
    }, { _id: false }),
    default: null
  },
  /** When a re-pair preview was last applied. */
  republishedAt: { type: Date },
  /** A re-pair preview made after publication: shown next to the published pairing until republished. */
  repairRunId: { type: Schema.Types.ObjectId },
  publishedAt: { type: Date },
  /**
   * The completed publication: setting it (with `publishedAt`) is the one write that makes a publication's pending
   * pairings visible. `publishing` names a publication under way, so one interrupted by a failure is resumed.
   */
  publicationId: { type: Schema.Types.ObjectId },
  publishing: { type: new Schema({ id: Schema.Types.ObjectId, runId: Schema.Types.ObjectId, startedAt: Date }, { _id: false }) },
  /** The run that was published (kept here: marking the run itself would rewrite its large document). */
  publishedRunId: { type: Schema.Types.ObjectId },
  /**
   * Set before a published pairing first changes (late placement, move, release): the Pairing page looks for changes
   * (a scan of every pairing on the embedded database) only when there are some. Never unset, so a lost update or a
   * failed change can make it say "maybe" but never hide a change.
   */
  changedSincePublication: { type: Boolean },
  /** The course's latest pairing run, read by id (a query by course scans every run on the embedded database). */
  latestRunId: { type: Schema.Types.ObjectId },
  // The maintenance lease lived here (leaseUntil, leaseHolder) before it became a `leases` term (`pairing:<courseId>`).
}, { timestamps: true })
pairingPlanSchema.index({ courseId: 1 }, { unique: true })

export type PairingPlanDoc = InferSchemaType<typeof pairingPlanSchema>
export const pairingPlanModel = (conn: Connection) => conn.model('PairingPlan', pairingPlanSchema, 'pairing_plans')
