// Ends LTI Dynamic Registration: the platform (Moodle, Canvas) closes its registration frame or window when it
// receives this message. It waits for the admin when the page shows a warning, otherwise it closes by itself.
(function () {
  'use strict'
  var button = document.getElementById('registration-close')
  if (!button) return
  function close () {
    var target = window.opener || window.parent
    if (target && target !== window) target.postMessage({ subject: 'org.imsglobal.lti.close' }, '*')
  }
  button.addEventListener('click', close)
  if (button.dataset.autoClose === 'true') setTimeout(close, 3000)
})()
