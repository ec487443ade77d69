// The login behind the new-window button can be used once: after the click, say where Mentorlink went and how to
// open it again, instead of leaving a button that would now fail.
(function () {
  'use strict'
  var link = document.getElementById('open-new-window')
  var opened = document.getElementById('new-window-opened')
  if (!link || !opened) return
  link.addEventListener('click', function () {
    setTimeout(function () {
      link.parentNode.hidden = true
      document.getElementById('new-window-hint').hidden = true
      opened.hidden = false
    }, 0)
  })
})()
