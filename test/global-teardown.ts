export default async function globalTeardown (): Promise<void> {
  await globalThis.__MENTORLINK_DB__?.stop()
}
