import { Types } from 'mongoose'
import type { PairingInputs, PairingPlan, PairingRunRecord, PlanSettings, ProposedPair, UndoStep } from '../../domain/pairing-workflow/pairing-ports'
import type { Models } from '../database'
import { duplicatesRefused } from '../duplicate-key'
import { saysSomething } from '../../domain/pairing-workflow/vocabulary'
import { createLeases } from '../leases'
import { createVisiblePairings } from '../visible-pairings'
import { packJson, unpackJson } from '../packed-json'
import { withMemberNames } from '../member-names'
import { PARTICIPATING_STUDENTS } from '../models/membership.model'

/** A stored run as read (lean). */
interface StoredRun {
  _id: Types.ObjectId, createdBy: Types.ObjectId, createdAt?: Date, method: PairingRunRecord['method'], seed: string
  bodyGz?: Parameters<typeof unpackJson>[0] | null, body?: string | null
}

const LEASE_MS = 30_000
const LEASE_WAIT_MS = 10_000
/** Pairings inserted per round trip when a run is published. */
const PUBLISH_CHUNK = 1000

const oid = (id: string): Types.ObjectId => new Types.ObjectId(id)
const str = (id: Types.ObjectId | null | undefined): string => (id ? String(id) : '')

type Deps = Pick<Models, 'courses' | 'memberships' | 'users' | 'intakes' | 'mentors' | 'pairings' | 'pairingPlans' | 'pairingRuns' | 'leases' | 'activities' | 'attendance'>

/** Loads what a pairing run needs and stores what it produces; ids cross this boundary as strings. */
export function createPairingWorkflowRepository (m: Deps) {
  const leases = createLeases(m)
  const fromPairs = (pairs: Array<{ studentUserId?: Types.ObjectId | null, mentorId?: Types.ObjectId | null }> | null | undefined): ProposedPair[] =>
    (pairs ?? []).map((p) => ({ studentId: str(p.studentUserId), mentorId: str(p.mentorId) }))
  const visible = createVisiblePairings(m)
  const planOf = async (courseId: string): Promise<PairingPlan> => {
    const doc = await m.pairingPlans.findOneAndUpdate({ courseId: oid(courseId) }, { $setOnInsert: { courseId: oid(courseId) } },
      { upsert: true, new: true, setDefaultsOnInsert: true }).lean()
    return {
      method: doc.method, balanceLoad: doc.balanceLoad, differentOrganisation: doc.differentOrganisation,
      reserveFraction: doc.reserveFraction, seed: doc.seed, publishedAt: doc.publishedAt ?? null,
      locked: fromPairs(doc.locked),
      forbidden: fromPairs(doc.forbidden),
      undo: doc.undo
        ? {
            locked: fromPairs(doc.undo.locked), forbidden: fromPairs(doc.undo.forbidden), label: doc.undo.label ?? '',
            knockOns: (doc.undo.knockOns ?? []).map((k) => ({ studentId: str(k.studentUserId), fromMentorId: str(k.fromMentorId), toMentorId: k.toMentorId ? str(k.toMentorId) : null }))
          }
        : null
    }
  }
  /** Inserts the pairings of students without one; answers which of `docs` it inserted. */
  const insertNew = async <T extends Record<string, unknown>>(docs: T[]): Promise<T[]> => {
    const now = new Date()
    try {
      await m.pairings.collection.insertMany(docs.map((d) => ({ ...d, history: [], createdAt: now, updatedAt: now })), { ordered: false })
      return docs
    } catch (err) {
      const duplicates = duplicatesRefused(err)
      if (duplicates === null) throw err
      const refused = new Set(duplicates)
      return docs.filter((_, i) => !refused.has(i))
    }
  }
  const noteChange = async (courseId: string): Promise<void> => {
    await m.pairingPlans.updateOne({ courseId: oid(courseId) }, { $set: { changedSincePublication: true } })
  }
  /** The mentor pool the course uses, if it has one yet. */
  const poolIdOf = async (courseId: string): Promise<Types.ObjectId | undefined> =>
    (await m.courses.findById(courseId, { poolId: 1 }).lean())?.poolId ?? undefined
  const runRecord = (courseId: string, doc: StoredRun, publishedAt: Date | null): PairingRunRecord => {
    type Parts = Pick<PairingRunRecord, 'settings' | 'inputs' | 'result' | 'comparison'>
    const parts = doc.bodyGz ? unpackJson<Parts>(doc.bodyGz) : doc.body ? JSON.parse(doc.body) as Parts : doc as unknown as PairingRunRecord
    return {
      id: str(doc._id), courseId, createdBy: str(doc.createdBy), createdAt: doc.createdAt, method: doc.method, seed: doc.seed, publishedAt,
      settings: parts.settings, inputs: parts.inputs, result: parts.result, comparison: parts.comparison
    }
  }
  const poolMentors = async (courseId: string): Promise<Array<{ id: string, name: string, capacity: number, active: boolean }>> => {
    const poolId = await poolIdOf(courseId)
    const rows = poolId ? await m.mentors.find({ poolId }, { name: 1, capacity: 1, active: 1 }).sort({ name: 1 }).lean() : []
    return rows.map((x) => ({ id: str(x._id), name: x.name, capacity: x.capacity, active: x.active }))
  }
  const toPairs = (pairs: ProposedPair[]) => pairs.map((p) => ({ studentUserId: oid(p.studentId), mentorId: oid(p.mentorId) }))

  return {
    planOf,
    loadInputs: async (courseId: string): Promise<PairingInputs> => {
      // Three reads side by side; each scans its collection on FerretDB.
      const [users, intakes, mentors] = await Promise.all([
        m.memberships.find({ courseId: oid(courseId), ...PARTICIPATING_STUDENTS }, { userId: 1, name: 1, email: 1 }).lean()
          .then(async (members) => await withMemberNames(m, members)).then((named) => named.map((x) => ({ _id: x.userId, name: x.name, email: x.email }))),
        // Every intake of the course, kept for the participating students below (an $in scans the collection per id on FerretDB).
        m.intakes.find({ courseId: oid(courseId) }).lean(),
        poolIdOf(courseId).then(async (poolId) => poolId ? await m.mentors.find({ poolId }).lean() : [])
      ])
      const intakeOf = new Map(intakes.map((i) => [str(i.studentUserId), i]))
      return {
        students: users.map((u) => {
          const intake = intakeOf.get(str(u._id))
          return {
            id: str(u._id), name: u.name || u.email,
            tags: intake?.interests ?? [],
            goals: [intake?.shortTermGoal, intake?.longTermGoal].filter(Boolean).join(' '),
            organisation: intake?.organisation ?? '',
            ranking: (intake?.ranking ?? []).map(str),
            hasIntake: saysSomething(intake)
          }
        }),
        mentors: mentors.map((x) => ({
          id: str(x._id), name: x.name, organisation: x.organisation, tags: x.expertise, capacity: x.capacity, active: x.active
        }))
      }
    },
    saveRun: async (run: Omit<PairingRunRecord, 'id' | 'createdAt' | 'publishedAt'>, plan?: PlanSettings, options: { undo?: UndoStep | null, repair?: boolean } = {}): Promise<string> => {
      const { courseId, createdBy, method, seed, settings, inputs, result, comparison } = run
      const doc = await m.pairingRuns.create({ courseId: oid(courseId), createdBy: oid(createdBy), method, seed, bodyGz: packJson({ settings, inputs, result, comparison }) })
      const planFields = plan ? { ...plan, locked: toPairs(plan.locked), forbidden: toPairs(plan.forbidden) } : {}
      const step = options.undo
      const undo = step === undefined
        ? {}
        : {
            undo: step && {
              label: step.label, locked: toPairs(step.locked), forbidden: toPairs(step.forbidden),
              knockOns: step.knockOns.map((k) => ({ studentUserId: oid(k.studentId), fromMentorId: oid(k.fromMentorId), toMentorId: k.toMentorId ? oid(k.toMentorId) : undefined }))
            }
          }
      const runField = options.repair === true ? { repairRunId: doc._id } : { latestRunId: doc._id }
      await m.pairingPlans.updateOne({ courseId: oid(courseId) }, { $set: { ...planFields, ...undo, ...runField } }, { upsert: true })
      return String(doc._id)
    },
    latestRun: async (courseId: string): Promise<PairingRunRecord | null> => {
      const plan = await m.pairingPlans.findOne({ courseId: oid(courseId) }, { publishedAt: 1, publishedRunId: 1, latestRunId: 1 }).lean()
      const doc = plan?.latestRunId
        ? await m.pairingRuns.findById(plan.latestRunId).lean()
        : await m.pairingRuns.findOne({ courseId: oid(courseId) }).sort({ createdAt: -1 }).lean()
      if (!doc) return null
      const publishedAt = plan?.publishedRunId?.equals(doc._id) === true ? plan.publishedAt ?? null : null
      return runRecord(courseId, doc, publishedAt)
    },
    repairRun: async (courseId: string): Promise<PairingRunRecord | null> => {
      const plan = await m.pairingPlans.findOne({ courseId: oid(courseId) }, { repairRunId: 1 }).lean()
      const doc = plan?.repairRunId ? await m.pairingRuns.findById(plan.repairRunId).lean() : null
      return doc ? runRecord(courseId, doc, null) : null
    },
    /** How ready the course is to pair `students` (its participants): how many filled their intake, active mentors and seats. */
    readiness: async (courseId: string, students: readonly string[]) => {
      const poolId = await poolIdOf(courseId)
      const [intakes, mentors] = await Promise.all([
        m.intakes.find({ courseId: oid(courseId) }, { studentUserId: 1, interests: 1, shortTermGoal: 1, longTermGoal: 1 }).lean(),
        poolId ? m.mentors.find({ poolId, active: true }, { capacity: 1 }).lean() : Promise.resolve([])
      ])
      const filled = new Set(intakes.filter(saysSomething).map((i) => str(i.studentUserId)))
      const missing = students.filter((s) => !filled.has(s))
      return {
        students: students.length,
        intakes: students.length - missing.length,
        /** Participating students whose intake says nothing (or who have none). */
        missing,
        mentors: mentors.length,
        seats: mentors.reduce((n, x) => n + x.capacity, 0)
      }
    },
    /** The course's pool mentors with their seats, by name: what a published pairing's loads are measured against. */
    poolMentors,
    mentorNames: async (courseId: string): Promise<Map<string, string>> => new Map((await poolMentors(courseId)).map((x) => [x.id, x.name])),
    mentorProfiles: async (courseId: string) => {
      const poolId = await poolIdOf(courseId)
      if (!poolId) return []
      const rows = await m.mentors.find({ poolId, active: true }).sort({ name: 1 }).lean()
      return rows.map((x) => ({ id: str(x._id), name: x.name, organisation: x.organisation, jobTitle: x.jobTitle, expertise: x.expertise, bio: x.bio }))
    },
    intakeOf: async (courseId: string, studentId: string) =>
      await m.intakes.findOne({ courseId: oid(courseId), studentUserId: oid(studentId) }).lean(),
    saveIntake: async (courseId: string, studentId: string, intake: { interests: string[], organisation: string, shortTermGoal: string, longTermGoal: string, ranking: string[] }): Promise<void> => {
      await m.intakes.updateOne({ courseId: oid(courseId), studentUserId: oid(studentId) },
        { $set: { ...intake, ranking: intake.ranking.map(oid) } }, { upsert: true })
    },
    activeList: async (courseId: string) =>
      (await visible({ courseId: oid(courseId) }, { studentUserId: 1, mentorId: 1, publishedAt: 1, pinned: 1 }))
        .map((r) => ({ studentId: str(r.studentUserId), mentorId: str(r.mentorId), publishedAt: r.publishedAt, pinned: r.pinned === true })),
    place: async (courseId: string, studentId: string, mentorId: string, source: 'late-enrolment' | 'repair', explanation: string, at: Date): Promise<boolean> => {
      await noteChange(courseId)
      const fields = { mentorId: oid(mentorId), status: 'active', source, explanation, publishedAt: at }
      const filter = { courseId: oid(courseId), studentUserId: oid(studentId) }
      const reactivated = await m.pairings.updateOne({ ...filter, status: 'released' }, { $set: fields, $unset: { releasedAt: 1, releaseReason: 1 } })
      if (reactivated.modifiedCount === 1) return true
      const inserted = await m.pairings.updateOne(filter, { $setOnInsert: { ...fields, history: [] } }, { upsert: true })
      return inserted.upsertedCount === 1
    },
    /**
     * `place` for many students: inserts their pairings in chunks (the unique index on course and student refuses a
     * student who has one), then takes up again the released pairings of the students refused (they left the course
     * and came back); a student paired meanwhile keeps their pairing. Answers those it paired, in the order given.
     */
    placeMany: async (courseId: string, placements: ReadonlyArray<ProposedPair & { explanation: string }>, source: 'late-enrolment' | 'repair', at: Date): Promise<ProposedPair[]> => {
      if (placements.length === 0) return []
      await noteChange(courseId)
      const course = oid(courseId)
      const fieldsOf = (p: ProposedPair & { explanation: string }) => ({ mentorId: oid(p.mentorId), status: 'active', source, explanation: p.explanation, publishedAt: at })
      const written = new Set<string>()
      const refused = new Map<string, ProposedPair & { explanation: string }>()
      for (let i = 0; i < placements.length; i += PUBLISH_CHUNK) {
        const chunk = placements.slice(i, i + PUBLISH_CHUNK)
        const docs = chunk.map((p) => ({ courseId: course, studentUserId: oid(p.studentId), ...fieldsOf(p) }))
        const inserted = new Set(await insertNew(docs))
        docs.forEach((doc, j) => { if (inserted.has(doc)) written.add(chunk[j]!.studentId); else refused.set(chunk[j]!.studentId, chunk[j]!) })
      }
      if (refused.size > 0) {
        // One read of the course's released pairings (any other condition scans the collection on FerretDB anyway).
        for (const r of await m.pairings.find({ courseId: course, status: 'released' }, { studentUserId: 1 }).lean()) {
          const p = refused.get(str(r.studentUserId))
          if (p === undefined) continue
          const reactivated = await m.pairings.updateOne({ _id: r._id, status: 'released' }, { $set: fieldsOf(p), $unset: { releasedAt: 1, releaseReason: 1 } })
          if (reactivated.modifiedCount === 1) written.add(p.studentId)
        }
      }
      return placements.filter((p) => written.has(p.studentId)).map(({ studentId, mentorId }) => ({ studentId, mentorId }))
    },
    move: async (courseId: string, studentId: string, fromMentorId: string, toMentorId: string, reason: string, explanation: string, at: Date, pinned = false): Promise<boolean> => {
      const current = await m.pairings.findOne({ courseId: oid(courseId), studentUserId: oid(studentId), mentorId: oid(fromMentorId), status: 'active' }).lean()
      if (!current) return false
      await noteChange(courseId)
      const res = await m.pairings.updateOne({ _id: current._id, mentorId: oid(fromMentorId) }, {
        $set: { mentorId: oid(toMentorId), source: 'repair', explanation, publishedAt: at, pinned },
        $push: { history: { mentorId: oid(fromMentorId), from: current.publishedAt, to: at, reason } }
      })
      return res.modifiedCount === 1
    },
    release: async (courseId: string, studentId: string, reason: string, at: Date): Promise<boolean> => {
      const current = await m.pairings.findOne({ courseId: oid(courseId), studentUserId: oid(studentId), status: 'active' }).lean()
      if (!current) return false
      await noteChange(courseId)
      const res = await m.pairings.updateOne({ _id: current._id, status: 'active' }, {
        $set: { status: 'released', releasedAt: at, releaseReason: reason },
        $push: { history: { mentorId: current.mentorId, from: current.publishedAt, to: at, reason } }
      })
      return res.modifiedCount === 1
    },
    /** Runs `work` while holding the course's pairing lease (a `leases` term), waiting for another holder to finish. */
    withCourseLease: async <T>(courseId: string, work: () => Promise<T>): Promise<T> =>
      await leases.holding(`pairing:${courseId}`, work, { leaseMs: LEASE_MS, waitMs: LEASE_WAIT_MS, pollMs: 100 }),
    /** Pairings changed since publication (late students, re-pairs, releases), newest first. */
    changesSincePublication: async (courseId: string, limit = 50) => {
      const plan = await m.pairingPlans.findOne({ courseId: oid(courseId) }, { changedSincePublication: 1 }).lean()
      if (plan?.changedSincePublication !== true) return []
      const rows = await m.pairings.find({ courseId: oid(courseId), $or: [{ source: { $ne: 'run' } }, { status: 'released' }] })
        .sort({ updatedAt: -1 }).limit(limit).lean()
      return rows.map((r) => {
        // Pairings inserted by an upsert (late placement) and by earlier publications have no history field.
        const previous = (r.history ?? []).at(-1)
        return {
          studentId: str(r.studentUserId), mentorId: str(r.mentorId), status: r.status, source: r.source,
          previousMentorId: str(previous?.mentorId), reason: r.status === 'released' ? r.releaseReason ?? '' : previous?.reason ?? r.explanation,
          at: r.status === 'released' ? r.releasedAt ?? r.updatedAt : r.publishedAt
        }
      })
    },
    coursesUsingPool: async (poolId: string): Promise<string[]> =>
      (await m.courses.find({ poolId: oid(poolId) }, { _id: 1 }).lean()).map((c) => str(c._id)),
    /**
     * Publishes a run's pairs, all or nothing as people see it: the pairs are written under a publication id (in
     * chunks; the unique index on course and student keeps any existing pairing), then one write to the plan completes
     * the publication, which makes them visible (see visible-pairings.ts). A publication interrupted by a failure is
     * resumed by publishing the same run again: its id is kept in the plan until it completes.
     */
    publish: async (courseId: string, runId: string, pairs: Array<ProposedPair & { explanation: string }>, at: Date): Promise<ProposedPair[] | null> => {
      const course = oid(courseId)
      const plan = await m.pairingPlans.findOne({ courseId: course }, { publishing: 1, publicationId: 1, publishedRunId: 1 }).lean()
      if (plan?.publicationId && plan.publishedRunId?.equals(runId) === true) return null
      let publicationId = plan?.publishing?.runId?.equals(runId) === true ? plan.publishing.id ?? undefined : undefined
      if (!publicationId) {
        // Pairs of an abandoned attempt (another run is published now) are nobody's pairing.
        if (plan?.publishing?.id) await m.pairings.deleteMany({ courseId: course, publicationId: plan.publishing.id })
        publicationId = new Types.ObjectId()
        await m.pairingPlans.updateOne({ courseId: course }, { $set: { publishing: { id: publicationId, runId: oid(runId), startedAt: at } } }, { upsert: true })
      }
      const fresh = pairs.map((pair) => ({
        courseId: course, studentUserId: oid(pair.studentId), mentorId: oid(pair.mentorId), status: 'active', source: 'run', runId: oid(runId), publicationId, explanation: pair.explanation, publishedAt: at
      }))
      for (let i = 0; i < fresh.length; i += PUBLISH_CHUNK) await insertNew(fresh.slice(i, i + PUBLISH_CHUNK))
      // The preview's last adjustment cannot be undone once published.
      await m.pairingPlans.updateOne({ courseId: course }, { $set: { publishedAt: at, publishedRunId: oid(runId), publicationId, undo: null }, $unset: { publishing: 1 } })
      // What this publication paired, an interrupted attempt's pairs included (students paired before keep theirs).
      return (await m.pairings.find({ courseId: course, publicationId }, { studentUserId: 1, mentorId: 1 }).lean())
        .map((doc) => ({ studentId: str(doc.studentUserId), mentorId: str(doc.mentorId) }))
    },
    markRepublished: async (courseId: string, runId: string, at: Date): Promise<void> => {
      await m.pairingPlans.updateOne({ courseId: oid(courseId) }, { $set: { publishedRunId: oid(runId), latestRunId: oid(runId), republishedAt: at }, $unset: { repairRunId: 1 } })
    },
    /** Back to preview: the plan first (nobody sees the pairs once it says unpublished), then the pairings go. */
    unpublish: async (courseId: string): Promise<string[]> => {
      const course = oid(courseId)
      const had = await visible({ courseId: course }, { studentUserId: 1 })
      await m.pairingPlans.updateOne({ courseId: course }, {
        $unset: { publishedAt: 1, publicationId: 1, publishedRunId: 1, repairRunId: 1, publishing: 1, changedSincePublication: 1, republishedAt: 1 }
      })
      await m.pairings.deleteMany({ courseId: course })
      return had.map((p) => str(p.studentUserId))
    },
    activitySince: async (courseId: string, since: Date): Promise<boolean> => {
      const filter = { courseId: oid(courseId), createdAt: { $gte: since } }
      const [activity, attended] = await Promise.all([m.activities.exists(filter), m.attendance.exists(filter)])
      return activity !== null || attended !== null
    },
    /** A publication that was started and did not complete: its run, so the page can ask to publish it again. */
    interruptedPublication: async (courseId: string): Promise<{ runId: string, startedAt: Date } | null> => {
      const plan = await m.pairingPlans.findOne({ courseId: oid(courseId) }, { publishing: 1 }).lean()
      return plan?.publishing?.runId ? { runId: str(plan.publishing.runId), startedAt: plan.publishing.startedAt ?? new Date(0) } : null
    }
  }
}

export type PairingWorkflowRepository = ReturnType<typeof createPairingWorkflowRepository>
