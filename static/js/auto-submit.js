// Moves the browser on to the platform (LTI messages travel as auto-submitted forms); the button stays as a fallback.
(function () {
  'use strict'
  var form = document.querySelector('form[data-auto-submit]')
  if (form) form.submit()
})()
