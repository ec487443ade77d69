// Times are shown in the zone the LMS gives; where it gives none, tell Mentorlink this browser's zone once and
// show the page again in it (the course's or institution's zone was only a stand-in).
(function () {
  var note = document.getElementById('time-zone')
  if (!note || note.getAttribute('data-from') === 'launch') return
  var browserZone
  try { browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone } catch (e) { return }
  if (!browserZone || browserZone === note.getAttribute('data-zone')) return
  var sentKey = 'mentorlink-zone-sent:' + browserZone
  try { if (window.sessionStorage.getItem(sentKey)) return } catch (e) { /* storage blocked in the frame: the server's answer still stops repeats */ }
  fetch('/api/v1/me/time-zone', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer ' + note.getAttribute('data-session') },
    body: JSON.stringify({ timeZone: browserZone })
  }).then(function (response) {
    if (response.status !== 204) return
    try { window.sessionStorage.setItem(sentKey, '1') } catch (e) { /* see above */ }
    window.location.reload()
  }).catch(function () { /* offline: times stay in the zone the page names */ })
})()
