import { Types } from 'mongoose'
import type { Id } from '../domain/ids'

/** The stored form of a domain id. */
export const toObjectId = (id: Id | Types.ObjectId): Types.ObjectId => typeof id === 'string' ? new Types.ObjectId(id) : id

/** The domain form of a stored id. */
export const toId = (id: Types.ObjectId | string): Id => String(id)

export const toIds = (ids: ReadonlyArray<Types.ObjectId | string>): Id[] => ids.map(toId)
export const toObjectIds = (ids: ReadonlyArray<Id | Types.ObjectId>): Types.ObjectId[] => ids.map(toObjectId)
