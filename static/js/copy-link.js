// The Calendar page's copy button: shown only where the browser can copy; otherwise (or if copying is refused, as an
// LMS frame may do) the link is selected so the person copies it with their keyboard.
(function () {
  'use strict'
  var source = document.querySelector('[data-copy-source]')
  var button = document.querySelector('[data-copy-button]')
  var status = document.querySelector('[data-copy-status]')
  if (!source || !button || !status) return
  button.hidden = false
  var selectIt = function () {
    source.focus()
    source.select()
    status.textContent = 'The link is selected: press Ctrl+C (or ⌘+C on a Mac) to copy it.'
  }
  button.addEventListener('click', function () {
    if (!navigator.clipboard || !navigator.clipboard.writeText) return selectIt()
    navigator.clipboard.writeText(source.value).then(function () {
      status.textContent = 'Copied. Paste it into your calendar app.'
    }, selectIt)
  })
})()
