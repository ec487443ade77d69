// Shows a running roster sync's progress by polling its status every second, then reloads the page to show the
// result. The session token travels in the Authorization header: inside the LMS iframe there is no cookie.
(function () {
  'use strict'
  var box = document.getElementById('sync-progress')
  if (!box || box.hidden) return
  var bar = document.getElementById('sync-bar')
  var phase = document.getElementById('sync-phase')
  var text = document.getElementById('sync-text')
  var PHASES = { fetching: 'Reading the roster from the LMS', applying: 'Saving the changes' }

  function show (progress) {
    phase.textContent = PHASES[progress.phase] || 'Syncing'
    text.textContent = progress.members + ' people read so far (' + progress.pages + (progress.pages === 1 ? ' page).' : ' pages).')
    if (progress.pagesTotal) {
      bar.max = progress.pagesTotal
      bar.value = Math.min(progress.pages, progress.pagesTotal)
    }
  }

  function reload () {
    var url = new URL(window.location.href)
    url.searchParams.delete('notice')
    window.location.replace(url.toString())
  }

  function poll () {
    fetch(box.dataset.statusUrl, {
      headers: { authorization: 'Bearer ' + box.dataset.session, accept: 'application/json' },
      credentials: 'omit',
      cache: 'no-store'
    }).then(function (res) {
      if (!res.ok) throw new Error('HTTP ' + res.status)
      return res.json()
    }).then(function (state) {
      if (!state.running) return reload()
      if (state.progress) show(state.progress)
      setTimeout(poll, 1000)
    }).catch(function () {
      text.textContent = 'Could not read the sync progress. Reload this page to see the result.'
    })
  }

  setTimeout(poll, 1000)
})()
