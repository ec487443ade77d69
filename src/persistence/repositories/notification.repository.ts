import { DELIVERY_MODES, type DeliveryMode } from '../../domain/notifications/vocabulary'
import type { CourseNoticeSettings, DigestItem, DigestItems, MailPreferences, NoticeJobs } from '../../domain/notifications/ports'
import { retryWhenBusy } from '../busy'
import type { Models } from '../database'
import { isDuplicateKey } from '../duplicate-key'
import { claimOnce } from '../single-use'

/** Up to this many addresses are looked up by id; more, by reading the (small) collection of people who chose something. */
const POINT_READS = 50

const isMode = (value: unknown): value is DeliveryMode => typeof value === 'string' && (DELIVERY_MODES as readonly string[]).includes(value)
/** The document's choices; kinds in the first version's `off` list count as off. */
const modesOf = (doc: Record<string, unknown> | null): Map<string, DeliveryMode> => {
  const modes = new Map<string, DeliveryMode>(((doc?.off as string[] | undefined) ?? []).map((kind) => [kind, 'off']))
  for (const [kind, mode] of Object.entries((doc?.modes as Record<string, unknown> | undefined) ?? {})) if (isMode(mode)) modes.set(kind, mode)
  return modes
}

export function createMailPreferenceRepository ({ mailPreferences }: Pick<Models, 'mailPreferences'>): MailPreferences {
  const prefs = mailPreferences.collection
  return {
    modes: async (kind, addresses) => {
      const docs = addresses.length <= POINT_READS
        ? (await Promise.all(addresses.map(async (a) => await prefs.findOne({ _id: a as never })))).flatMap((d) => d ? [d] : [])
        : await prefs.find({}).toArray()
      const wanted = new Set(addresses)
      const chosen = new Map<string, DeliveryMode>()
      for (const doc of docs) {
        const mode = modesOf(doc).get(kind)
        if (mode !== undefined && wanted.has(String(doc._id))) chosen.set(String(doc._id), mode)
      }
      return chosen
    },
    of: async (address) => modesOf(await prefs.findOne({ _id: address as never })),
    choose: async (address, kind, mode) => {
      const update = mode === null ? { $unset: { [`modes.${kind}`]: '' }, $pull: { off: kind } } : { $set: { [`modes.${kind}`]: mode }, $pull: { off: kind } }
      await retryWhenBusy(async () => await prefs.updateOne({ _id: address as never }, update as never, { upsert: true }))
    }
  }
}

export function createCourseNoticeSettingRepository ({ courseNoticeSettings }: Pick<Models, 'courseNoticeSettings'>): CourseNoticeSettings {
  const settings = courseNoticeSettings.collection
  return {
    kindsOff: async (courseId) => new Set(((await settings.findOne({ _id: courseId as never }))?.off as string[] | undefined) ?? []),
    setKindsOff: async (courseId, kinds) => {
      await retryWhenBusy(async () => await settings.updateOne({ _id: courseId as never }, { $set: { off: [...kinds] } }, { upsert: true }))
    },
    quietDays: async (courseId) => ((await settings.findOne({ _id: courseId as never }))?.quietDays as number | undefined) ?? null,
    setQuietDays: async (courseId, days) => {
      await retryWhenBusy(async () => await settings.updateOne({ _id: courseId as never }, { $set: { quietDays: days } }, { upsert: true }))
    }
  }
}

/** How long a once-only notice is remembered: longer than any course runs. */
const ONCE_KEPT_MS = 400 * 24 * 3600_000

/** How long one taker holds a due job before another may take it up (a job takes seconds; a dead taker frees it). */
const CLAIM_MS = 5 * 60_000

export function createNoticeJobRepository (models: Pick<Models, 'noticeJobs' | 'singleUseClaims'>): NoticeJobs {
  const jobs = models.noticeJobs.collection
  const insert = async ({ id, event, at, dueAt }: Parameters<NoticeJobs['record']>[0]) => {
    await retryWhenBusy(async () => await jobs.insertOne({ _id: id as never, event: JSON.stringify(event), at, dueAt }))
  }
  return {
    record: insert,
    schedule: async (job) => {
      try {
        await insert(job)
      } catch (err) {
        if (!isDuplicateKey(err)) throw err
      }
    },
    // Jobs of the first version have no dueAt: they were due a minute after they were recorded.
    due: async (now) => (await jobs.find({ $or: [{ dueAt: { $lte: now } }, { dueAt: { $exists: false }, at: { $lt: new Date(now.getTime() - 60_000) } }] }).toArray())
      .map((j) => ({ id: String(j._id), event: JSON.parse(j.event as string) as unknown, at: j.at as Date, dueAt: (j.dueAt ?? j.at) as Date })),
    claim: async (id, now) => {
      const window = Math.floor(now.getTime() / CLAIM_MS)
      return await claimOnce(models, `notice-job:${id}:${window}`, new Date(now.getTime() + 2 * CLAIM_MS))
    },
    once: async (key) => await claimOnce(models, `notice-once:${key}`, new Date(Date.now() + ONCE_KEPT_MS)),
    done: async (id) => { await retryWhenBusy(async () => await jobs.deleteOne({ _id: id as never })) }
  }
}

export function createDigestItemRepository ({ digestItems }: Pick<Models, 'digestItems'>): DigestItems {
  const items = digestItems.collection
  return {
    add: async ({ id, ...item }) => {
      try {
        await retryWhenBusy(async () => await items.insertOne({ _id: id as never, ...item }))
      } catch (err) {
        if (!isDuplicateKey(err)) throw err
      }
    },
    of: async (address, period) => (await items.find({ address, period }).toArray()).map(({ _id, ...rest }) => ({ ...rest, id: String(_id) }) as DigestItem),
    remove: async (ids) => { if (ids.length > 0) await retryWhenBusy(async () => await items.deleteMany({ _id: { $in: ids as never[] } })) }
  }
}
