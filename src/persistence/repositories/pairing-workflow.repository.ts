import { Types } from 'mongoose'
import type { PairingInputs, PairingPlan, PairingRunRecord, ProposedPair } from '../../domain/pairing-workflow/pairing-ports'
import type { Models } from '../database'
import { duplicatesRefused } from '../duplicate-key'
import { saysSomething } from '../../domain/pairing-workflow/vocabulary'
import { createLeases } from '../leases'
import { packJson, unpackJson } from '../packed-json'
import { withMemberNames } from '../member-names'
import { PARTICIPATING_STUDENTS } from '../models/membership.model'

const LEASE_MS = 30_000
const LEASE_WAIT_MS = 10_000
/** Pairings inserted per round trip when a run is published. */
const PUBLISH_CHUNK = 1000

const oid = (id: string): Types.ObjectId => new Types.ObjectId(id)
const str = (id: Types.ObjectId | null | undefined): string => (id ? String(id) : '')

type Deps = Pick<Models, 'courses' | 'memberships' | 'users' | 'intakes' | 'mentors' | 'pairings' | 'pairingPlans' | 'pairingRuns' | 'leases'>

/** Loads what a pairing run needs and stores what it produces; ids cross this boundary as strings. */
export function createPairingWorkflowRepository (m: Deps) {
  const leases = createLeases(m)
  const planOf = async (courseId: string): Promise<PairingPlan> => {
    const doc = await m.pairingPlans.findOneAndUpdate({ courseId: oid(courseId) }, { $setOnInsert: { courseId: oid(courseId) } },
      { upsert: true, new: true, setDefaultsOnInsert: true }).lean()
    return {
      method: doc.method, balanceLoad: doc.balanceLoad, differentOrganisation: doc.differentOrganisation,
      reserveFraction: doc.reserveFraction, seed: doc.seed, publishedAt: doc.publishedAt ?? null,
      locked: (doc.locked ?? []).map((p) => ({ studentId: str(p.studentUserId), mentorId: str(p.mentorId) })),
      forbidden: (doc.forbidden ?? []).map((p) => ({ studentId: str(p.studentUserId), mentorId: str(p.mentorId) }))
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
  const toPairs = (pairs: ProposedPair[]) => pairs.map((p) => ({ studentUserId: oid(p.studentId), mentorId: oid(p.mentorId) }))

  return {
    planOf,
    loadInputs: async (courseId: string): Promise<PairingInputs> => {
      const [poolId, members] = await Promise.all([
        poolIdOf(courseId),
        m.memberships.find({ courseId: oid(courseId), ...PARTICIPATING_STUDENTS }, { userId: 1, name: 1, email: 1 }).lean()
      ])
      const [users, intakes, mentors] = await Promise.all([
        withMemberNames(m, members).then((named) => named.map((x) => ({ _id: x.userId, name: x.name, email: x.email }))),
        // Every intake of the course, kept for the participating students below (an $in scans the collection per id on FerretDB).
        m.intakes.find({ courseId: oid(courseId) }).lean(),
        poolId ? m.mentors.find({ poolId }).lean() : Promise.resolve([])
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
    saveRun: async (run: Omit<PairingRunRecord, 'id' | 'createdAt' | 'publishedAt'>, plan?: Omit<PairingPlan, 'publishedAt'>): Promise<string> => {
      const { courseId, createdBy, method, seed, settings, inputs, result, comparison } = run
      const doc = await m.pairingRuns.create({ courseId: oid(courseId), createdBy: oid(createdBy), method, seed, bodyGz: packJson({ settings, inputs, result, comparison }) })
      const planFields = plan ? { ...plan, locked: toPairs(plan.locked), forbidden: toPairs(plan.forbidden) } : {}
      await m.pairingPlans.updateOne({ courseId: oid(courseId) }, { $set: { ...planFields, latestRunId: doc._id } }, { upsert: true })
      return String(doc._id)
    },
    latestRun: async (courseId: string): Promise<PairingRunRecord | null> => {
      const plan = await m.pairingPlans.findOne({ courseId: oid(courseId) }, { publishedAt: 1, publishedRunId: 1, latestRunId: 1 }).lean()
      const doc = plan?.latestRunId
        ? await m.pairingRuns.findById(plan.latestRunId).lean()
        : await m.pairingRuns.findOne({ courseId: oid(courseId) }).sort({ createdAt: -1 }).lean()
      if (!doc) return null
      const publishedAt = doc.publishedAt ?? (plan?.publishedRunId?.equals(doc._id) === true ? plan.publishedAt ?? null : null)
      type Parts = Pick<PairingRunRecord, 'settings' | 'inputs' | 'result' | 'comparison'>
      const parts = doc.bodyGz ? unpackJson<Parts>(doc.bodyGz) : doc.body ? JSON.parse(doc.body) as Parts : doc as unknown as PairingRunRecord
      return {
        id: str(doc._id), courseId, createdBy: str(doc.createdBy), createdAt: doc.createdAt, method: doc.method, seed: doc.seed, publishedAt,
        settings: parts.settings, inputs: parts.inputs, result: parts.result, comparison: parts.comparison
      }
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
    mentorNames: async (courseId: string): Promise<Map<string, string>> => {
      const poolId = await poolIdOf(courseId)
      const rows = poolId ? await m.mentors.find({ poolId }, { name: 1 }).lean() : []
      return new Map(rows.map((x) => [str(x._id), x.name]))
    },
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
      (await m.pairings.find({ courseId: oid(courseId), status: 'active' }, { studentUserId: 1, mentorId: 1, publishedAt: 1 }).lean())
        .map((r) => ({ studentId: str(r.studentUserId), mentorId: str(r.mentorId), publishedAt: r.publishedAt })),
    place: async (courseId: string, studentId: string, mentorId: string, source: 'late-enrolment' | 'repair', explanation: string, at: Date): Promise<boolean> => {
      await noteChange(courseId)
      const fields = { mentorId: oid(mentorId), status: 'active', source, explanation, publishedAt: at }
      const filter = { courseId: oid(courseId), studentUserId: oid(studentId) }
      const reactivated = await m.pairings.updateOne({ ...filter, status: 'released' }, { $set: fields, $unset: { releasedAt: 1, releaseReason: 1 } })
      if (reactivated.modifiedCount === 1) return true
      const inserted = await m.pairings.updateOne(filter, { $setOnInsert: { ...fields, history: [] } }, { upsert: true })
      return inserted.upsertedCount === 1
    },
    move: async (courseId: string, studentId: string, fromMentorId: string, toMentorId: string, reason: string, explanation: string, at: Date): Promise<boolean> => {
      const current = await m.pairings.findOne({ courseId: oid(courseId), studentUserId: oid(studentId), mentorId: oid(fromMentorId), status: 'active' }).lean()
      if (!current) return false
      await noteChange(courseId)
      const res = await m.pairings.updateOne({ _id: current._id, mentorId: oid(fromMentorId) }, {
        $set: { mentorId: oid(toMentorId), source: 'repair', explanation, publishedAt: at },
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
     * Publishes a run's pairs: inserts, in chunks, a pairing for each student who has none. The unique index on
     * course and student refuses a second pairing of a student (placed meanwhile, or published by a crashed
     * attempt), so an existing pairing is never replaced, and the plan names the published run last: publishing
     * again after a crash completes the job.
     */
    publish: async (courseId: string, runId: string, pairs: Array<ProposedPair & { explanation: string }>, at: Date): Promise<ProposedPair[]> => {
      // Students paired before (a publication resumed after a failure, or late placement) keep their pair: the unique
      // index refuses their insert, which costs less than reading every pairing of the course first.
      const fresh = pairs.map((pair) => ({
        courseId: oid(courseId), studentUserId: oid(pair.studentId), mentorId: oid(pair.mentorId), status: 'active', source: 'run', runId: oid(runId), explanation: pair.explanation, publishedAt: at
      }))
      const placed: ProposedPair[] = []
      for (let i = 0; i < fresh.length; i += PUBLISH_CHUNK) {
        for (const doc of await insertNew(fresh.slice(i, i + PUBLISH_CHUNK))) placed.push({ studentId: str(doc.studentUserId), mentorId: str(doc.mentorId) })
      }
      await m.pairingPlans.updateOne({ courseId: oid(courseId) }, { $set: { publishedAt: at, publishedRunId: oid(runId) } })
      return placed
    }
  }
}

export type PairingWorkflowRepository = ReturnType<typeof createPairingWorkflowRepository>
