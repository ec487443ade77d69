import type { Types } from 'mongoose'
import type { Models } from './database'
import { readMany } from './read-many'

interface NamedLater { userId: Types.ObjectId, name?: string | null, email?: string | null }

/**
 * Memberships as lists of people show them: with the name and email each membership keeps, and for memberships
 * written before they kept them, those of the user (read only for those).
 */
export async function withMemberNames<T extends NamedLater> ({ users }: Pick<Models, 'users'>, rows: readonly T[]): Promise<Array<T & { name: string, email: string }>> {
  const unnamed = rows.filter((r) => r.name == null).map((r) => r.userId)
  const people = await readMany<{ _id: Types.ObjectId, name?: string, email?: string }>(users, {}, '_id', unnamed, { name: 1, email: 1 })
  const byId = new Map(people.map((u) => [String(u._id), u]))
  return rows.map((r) => {
    const person = r.name == null ? byId.get(String(r.userId)) : { name: r.name, email: r.email ?? undefined }
    return { ...r, name: person?.name ?? '', email: person?.email ?? '' }
  })
}
