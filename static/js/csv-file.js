// Reads the CSV file the instructor chooses into the import form's text box, so the form posts plain text and the
// server needs no file upload handling. Without JavaScript the file field stays hidden and pasting still works.
(function () {
  'use strict'
  var field = document.getElementById('csv-file-field')
  var input = document.getElementById('csv-file')
  var text = document.getElementById('csv-text')
  var status = document.getElementById('csv-file-status')
  if (!field || !input || !text || !status || typeof Blob === 'undefined' || !Blob.prototype.text) return
  field.hidden = false
  input.addEventListener('change', function () {
    var file = input.files && input.files[0]
    if (!file) return
    file.text().then(function (content) {
      text.value = content.replace(/^\uFEFF/, '')
      var lines = text.value.split(/\r?\n/).filter(function (l) { return l.trim() !== '' }).length
      status.textContent = file.name + ' loaded: ' + lines + ' lines including the header. Check them below, then import.'
    }, function () {
      status.textContent = 'That file could not be read. Paste its contents into the box instead.'
    })
  })
})()
