import { readFileSync } from 'node:fs'
import path from 'node:path'
import handlebars from 'handlebars'
import { registerViewHelpers } from '../../src/http/view-helpers'

const engine = handlebars.create()
registerViewHelpers(engine)
const chart = engine.compile(readFileSync(path.resolve(__dirname, '..', '..', 'views', 'partials', 'bar-chart.hbs'), 'utf8'))

describe('the bar chart', () => {
  it('cuts a long label short of its bar, keeping the whole label as the bar\'s title', () => {
    const svg = chart({ chartId: 'loads', caption: 'Mentor loads', bars: [{ label: 'Maximiliana Featherstonehaugh-Smythe', value: 2, max: 3, text: '2 of 3' }, { label: 'Ana Li', value: 1, max: 3, text: '1 of 3' }] })
    expect(svg).toContain('<title>Maximiliana Featherstonehaugh-Smythe</title>Maximiliana Feathe…</text>')
    expect(svg).toContain('<title>Ana Li</title>Ana Li</text>')
  })
})
