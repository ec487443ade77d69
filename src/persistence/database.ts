import mongoose, { type Connection } from 'mongoose'
import { courseModel } from './models/course.model'
import { membershipModel } from './models/membership.model'
import { oidcLoginModel } from './models/oidc-login.model'
import { platformModel } from './models/platform.model'
import { sessionModel } from './models/session.model'
import { userModel } from './models/user.model'

const buildModels = (conn: Connection) => ({
  platforms: platformModel(conn),
  oidcLogins: oidcLoginModel(conn),
  courses: courseModel(conn),
  users: userModel(conn),
  memberships: membershipModel(conn),
  sessions: sessionModel(conn)
})

export type Models = ReturnType<typeof buildModels>

export interface Database {
  connection: Connection
  models: Models
  close: () => Promise<void>
}

/** Opens Mentorlink's own mongoose connection (never the default one, which ltijs claims) and builds its indexes. */
export async function connectDatabase (uri: string): Promise<Database> {
  const connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000, autoIndex: false }).asPromise()
  const models = buildModels(connection)
  await Promise.all(Object.values(models).map(async (model) => await model.createIndexes()))
  return { connection, models, close: async () => { await connection.close() } }
}
