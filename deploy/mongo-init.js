// The one-shot `mongo-init` service of docker-compose.yml runs this with `mongosh --nodb`: it waits for the `mongo`
// service, initiates the single-member replica set rs0 unless it exists, waits until the member is primary, and
// creates (or updates the password of) Mentorlink's own database user. Running it again changes nothing else, so it
// runs on every `docker compose up`.
/* global Mongo, sleep, quit, print */

const env = (name) => {
  const value = process.env[name]
  if (!value) {
    print(`mongo-init: ${name} is not set`)
    quit(1)
  }
  return value
}

const HOST = 'mongo:27017'
const REPLICA_SET = 'rs0'
const DATABASE = 'mentorlink'
const rootUser = env('MONGO_ROOT_USERNAME')
const rootPassword = env('MONGO_ROOT_PASSWORD')
const appUser = env('MONGO_APP_USERNAME')
const appPassword = env('MONGO_APP_PASSWORD')

// The app puts the password in MONGODB_URI unescaped: only characters that need no percent-encoding.
for (const [name, value] of [['MONGO_APP_USERNAME', appUser], ['MONGO_APP_PASSWORD', appPassword]]) {
  if (!/^[A-Za-z0-9._~-]+$/.test(value)) {
    print(`mongo-init: ${name} may only hold letters, digits and . _ ~ - (it goes into MONGODB_URI as it is); make one with: openssl rand -hex 32`)
    quit(1)
  }
}

/** Runs `what` again every second until it returns something truthy, for at most `seconds`; stops at once on `fatal`. */
function retry (label, seconds, what, fatal = () => false) {
  const deadline = Date.now() + seconds * 1000
  let lastError
  while (Date.now() < deadline) {
    try {
      const result = what()
      if (result) return result
    } catch (err) {
      if (fatal(err)) {
        print(`mongo-init: ${label}: ${err.message}`)
        quit(1)
      }
      lastError = err
    }
    sleep(1000)
  }
  print(`mongo-init: ${label} did not happen within ${seconds} s${lastError ? ` (${lastError.message})` : ''}`)
  quit(1)
}

// On its first start the mongo container creates the root user with a mongod of its own that only listens on
// localhost, then restarts it: this waits for the real one.
const admin = retry(`connecting to ${HOST} as ${rootUser}`, 180, () => {
  const db = new Mongo(`mongodb://${HOST}/?directConnection=true&serverSelectionTimeoutMS=2000`).getDB('admin')
  db.auth(rootUser, rootPassword)
  return db.runCommand({ ping: 1 }).ok === 1 && db
}, (err) => {
  if (err.codeName !== 'AuthenticationFailed') return false
  print('mongo-init: the mongo service creates its root user from MONGO_ROOT_USERNAME and MONGO_ROOT_PASSWORD only when its data volume is new: give the ones it was created with (a volume from before the replica set has none: see docs/admin.md, "Upgrading to the replica set")')
  return true
})

/** True once the replica set has a configuration; the server answers NotYetInitialized (94) before. */
function initiated () {
  try {
    return admin.runCommand({ replSetGetStatus: 1 }).ok === 1
  } catch (err) {
    if (err.code === 94) return false
    throw err
  }
}

if (!initiated()) {
  // The member's name is the one the apps reach it at: the driver connects to the names in the replica set config.
  admin.runCommand({ replSetInitiate: { _id: REPLICA_SET, members: [{ _id: 0, host: HOST }] } })
  print(`mongo-init: replica set ${REPLICA_SET} initiated with ${HOST}`)
}
retry(`${HOST} becoming primary`, 60, () => admin.runCommand({ hello: 1 }).isWritablePrimary)

// readWrite for the data; dbAdmin for the index changes Mentorlink makes at start-up (collMod turns an older plain
// expiresAt index into a TTL index). Both on Mentorlink's database only.
const roles = [{ role: 'readWrite', db: DATABASE }, { role: 'dbAdmin', db: DATABASE }]
if (admin.getUser(appUser)) {
  admin.updateUser(appUser, { pwd: appPassword, roles })
  print(`mongo-init: user ${appUser} updated`)
} else {
  admin.createUser({ user: appUser, pwd: appPassword, roles })
  print(`mongo-init: user ${appUser} created`)
}
print('mongo-init: done')
