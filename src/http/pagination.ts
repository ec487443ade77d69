import { z } from 'zod'

/** Rows a long list shows per page: enough to scan, few enough that the page stays quick inside the LMS frame. */
export const PAGE_SIZE = 50

/** `?page=` as people type it: a whole number from 1; a page past the end shows the last one. */
export const PageNumber = z.preprocess(
  (value) => value === '' ? undefined : value,
  z.coerce.number({ error: 'The page must be a number' }).int('The page must be a whole number').min(1, 'Pages are numbered from 1').optional()
).describe('Page of the list, from 1')

export interface Page<T> {
  rows: T[]
  page: number
  pages: number
  total: number
  /** Position of the first and last row shown, from 1 (0 and 0 when there is none). */
  from: number
  to: number
}

export function pageOf<T> (rows: readonly T[], requested: number | undefined, size = PAGE_SIZE): Page<T> {
  const total = rows.length
  const pages = Math.max(1, Math.ceil(total / size))
  const page = Math.min(requested ?? 1, pages)
  const start = (page - 1) * size
  return { rows: rows.slice(start, start + size), page, pages, total, from: total === 0 ? 0 : start + 1, to: Math.min(start + size, total) }
}

/**
 * What the pager partial shows: previous and next, the first and last page and those around the current one, each
 * a link to `path` with the list's other query parameters kept (filters, sort), landing on the list's heading
 * (`anchor`) rather than the top of the page.
 */
export function pagerOf<T> (page: Page<T>, path: string, query: Readonly<Record<string, string | undefined>>, anchor?: string) {
  const href = (n: number): string => {
    const params = new URLSearchParams(Object.entries({ ...query, page: n > 1 ? String(n) : undefined }).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''))
    const search = params.toString()
    return `${search ? `${path}?${search}` : path}${anchor === undefined ? '' : `#${anchor}`}`
  }
  const shown = [...new Set([1, page.page - 2, page.page - 1, page.page, page.page + 1, page.page + 2, page.pages])]
    .filter((n) => n >= 1 && n <= page.pages).sort((a, b) => a - b)
  const links = shown.flatMap((n, i) => {
    const gap = i > 0 && n - (shown[i - 1] as number) > 1 ? [{ gap: true }] : []
    return [...gap, { number: n, href: href(n), current: n === page.page }]
  })
  return {
    ...page,
    many: page.pages > 1,
    previous: page.page > 1 ? href(page.page - 1) : null,
    next: page.page < page.pages ? href(page.page + 1) : null,
    links
  }
}
