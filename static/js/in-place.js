// Forms marked data-in-place post in the background and the page's answer replaces the page in place: the
// instructor keeps their scroll position and keyboard focus, and the confirmation (or the reason for a refusal) shows
// in the page's message, which stays in view at the top of the window (CSS). Without JavaScript the forms post
// normally and the answer's #fragment brings the instructor back to where they were.
(function () {
  'use strict'
  if (!window.fetch || !window.DOMParser || !window.FormData) return
  var busy = false

  /** The same control in the new page: the nth form with this action, and its button with the same name and value. */
  function sameControl (main, form, submitter) {
    var selector = 'form[action="' + form.getAttribute('action') + '"]'
    var index = Array.prototype.indexOf.call(document.querySelectorAll(selector), form)
    var forms = main.querySelectorAll(selector)
    var target = forms[Math.min(index, forms.length - 1)]
    if (!target) return null
    if (submitter && submitter.name) {
      var same = target.querySelector('button[name="' + submitter.name + '"][value="' + submitter.value + '"]')
      if (same) return same
    }
    return target.querySelector('button, select, input:not([type=hidden]), textarea')
  }

  document.addEventListener('submit', function (event) {
    var form = event.target
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-in-place')) return
    event.preventDefault()
    if (busy) return
    busy = true
    var submitter = event.submitter || null
    var body = new URLSearchParams(new FormData(form, submitter))
    var scroll = window.scrollY
    var row = form.closest('tr[id]')
    form.setAttribute('aria-busy', 'true')
    if (submitter) submitter.disabled = true
    // Not form.action: these forms have a field named "action", which shadows the property.
    fetch(new URL(form.getAttribute('action'), window.location.href), { method: 'POST', body: body, headers: { Accept: 'text/html' }, credentials: 'same-origin' })
      .then(function (response) {
        return response.text().then(function (html) { return { response: response, html: html } })
      })
      .then(function (answer) {
        var page = new DOMParser().parseFromString(answer.html, 'text/html')
        var main = page.getElementById('main')
        if (!main) { form.submit(); return }
        var control = sameControl(main, form, submitter)
        var rowAgain = row ? main.querySelector('#' + CSS.escape(row.id)) : null
        document.getElementById('main').replaceWith(main)
        if (answer.response.redirected) window.history.replaceState(null, '', answer.response.url)
        window.scrollTo(0, scroll)
        var message = main.querySelector('[data-toast]')
        var focus = rowAgain || control || message
        if (focus) focus.focus({ preventScroll: true })
        if (rowAgain) rowAgain.classList.add('just-changed')
      })
      .catch(function () { form.submit() })
      .then(function () { busy = false })
  })
})()
