import type { MailPreferences, NoticeJobs } from '../../domain/notifications/ports'
import { retryWhenBusy } from '../busy'
import type { Models } from '../database'

/** Up to this many addresses are looked up by id; more, by reading the (small) collection of people who turned something off. */
const POINT_READS = 50

export function createMailPreferenceRepository ({ mailPreferences }: Pick<Models, 'mailPreferences'>): MailPreferences {
  const prefs = mailPreferences.collection
  return {
    turnedOff: async (kind, addresses) => {
      const docs = addresses.length <= POINT_READS
        ? (await Promise.all(addresses.map(async (a) => await prefs.findOne({ _id: a as never })))).flatMap((d) => d ? [d] : [])
        : await prefs.find({}).toArray()
      const wanted = new Set(addresses)
      return new Set(docs.filter((d) => wanted.has(String(d._id)) && (d.off as string[] | undefined)?.includes(kind)).map((d) => String(d._id)))
    },
    turnOff: async (address, kind) => {
      await retryWhenBusy(async () => await prefs.updateOne({ _id: address as never }, { $addToSet: { off: kind } }, { upsert: true }))
    },
    turnOn: async (address, kind) => {
      await retryWhenBusy(async () => await prefs.updateOne({ _id: address as never }, { $pull: { off: kind } as never }))
    }
  }
}

export function createNoticeJobRepository ({ noticeJobs }: Pick<Models, 'noticeJobs'>): NoticeJobs {
  const jobs = noticeJobs.collection
  return {
    record: async ({ id, event, at }) => { await retryWhenBusy(async () => await jobs.insertOne({ _id: id as never, event: JSON.stringify(event), at })) },
    leftOver: async (before) => (await jobs.find({ at: { $lt: before } }).toArray())
      .map((j) => ({ id: String(j._id), event: JSON.parse(j.event as string) as unknown, at: j.at as Date })),
    done: async (id) => { await retryWhenBusy(async () => await jobs.deleteOne({ _id: id as never })) }
  }
}
