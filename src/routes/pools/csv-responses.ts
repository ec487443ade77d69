import type { FastifyReply } from 'fastify'
import { CSV_COLUMNS } from '../../domain/pools/mentor-csv'
import { stringify } from 'csv-stringify/sync'

/** Sends CSV as a download; the file name keeps only safe characters. */
export async function sendCsv (reply: FastifyReply, fileName: string, csv: string) {
  const safe = fileName.replace(/[^A-Za-z0-9_.-]+/g, '-')
  return await reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${safe}"`)
    .header('cache-control', 'no-store')
    .send(csv)
}

export const templateCsv = (): string => stringify([[...CSV_COLUMNS]], { bom: true, record_delimiter: 'windows' })
export const exportFileName = (courseLabel: string): string => `mentor-pool-${courseLabel || 'course'}.csv`
