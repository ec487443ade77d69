/**
 * Node 20 adds `Symbol.dispose` and `Symbol.asyncDispose` to its own realm only; jest runs tests in a fresh vm context
 * whose `Symbol` lacks them. playwright-core declares `[Symbol.asyncDispose]()` methods and disposes through
 * `Symbol.asyncDispose ?? Symbol.for('Symbol.asyncDispose')`, so without these, some calls (locator.click,
 * boundingBox…) fail with "Object not disposable". Import this before playwright-core.
 */
const symbols = Symbol as unknown as Record<'dispose' | 'asyncDispose', symbol | undefined>
symbols.dispose ??= Symbol.for('Symbol.dispose')
symbols.asyncDispose ??= Symbol.for('Symbol.asyncDispose')

export {}
