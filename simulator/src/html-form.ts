/** Auto-submitting HTML forms, the way platforms move the browser between tool and platform. */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export function escapeHtml (value: string): string {
  return value.replace(/[&<>"']/g, c => ENTITIES[c] ?? c)
}

function unescapeHtml (value: string): string {
  return value.replace(/&(amp|lt|gt|quot|#39);/g, (match) =>
    Object.entries(ENTITIES).find(([, entity]) => entity === match)?.[0] ?? match)
}

export function renderAutoSubmitForm (action: string, fields: Record<string, string>, title = 'Launching…'): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `    <input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n')
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body>
  <form id="lti-form" method="POST" action="${escapeHtml(action)}">
${inputs}
    <noscript><button type="submit">Continue</button></noscript>
  </form>
  <script>document.getElementById('lti-form').submit()</script>
</body>
</html>
`
}

/** Reads back the action and hidden inputs of a page produced by renderAutoSubmitForm. */
export function parseAutoSubmitForm (html: string): { action: string, method: string, fields: Record<string, string> } {
  const form = /<form[^>]*method="([^"]+)"[^>]*action="([^"]*)"/.exec(html)
  if (form === null) throw new Error('no auto-submit form in page')
  const fields: Record<string, string> = {}
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields[unescapeHtml(m[1] ?? '')] = unescapeHtml(m[2] ?? '')
  }
  return { method: form[1] ?? 'POST', action: unescapeHtml(form[2] ?? ''), fields }
}
