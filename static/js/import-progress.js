// Keeps an import job's progress bar up to date by polling its status endpoint, and
// reloads the page once the job moves on (checked, imported, failed). Without
// JavaScript the page refreshes itself instead (a <noscript> meta refresh).
(function () {
  'use strict'
  var container = document.querySelector('[data-import-status-url]')
  if (!container || !window.fetch) return
  var url = container.getAttribute('data-import-status-url')
  var initialStatus = container.getAttribute('data-import-status')
  var bar = container.querySelector('progress')
  var text = container.querySelector('[data-import-progress-text]')
  var numbers = new Intl.NumberFormat('en-GB')

  function show (job) {
    bar.max = job.total_rows || 1
    bar.value = job.rows_processed
    bar.textContent = job.percent + '%'
    text.textContent = numbers.format(job.rows_processed) + ' of ' +
      numbers.format(job.total_rows) + ' rows (' + job.percent + '%)'
  }

  function poll () {
    window.fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (response) {
        if (!response.ok) throw new Error('status ' + response.status)
        return response.json()
      })
      .then(function (job) {
        if (!job.running || job.status !== initialStatus) {
          window.location.reload()
          return
        }
        show(job)
        window.setTimeout(poll, 2000)
      })
      .catch(function () { window.setTimeout(poll, 5000) })
  }

  window.setTimeout(poll, 2000)
})()
