// Copies the GOV.UK and MOJ Frontend script bundles, with the source maps they name,
// to where Django collects static files. Each bundle keeps its own folder and file
// names: its last line points at `all.bundle.js.map` beside it, and the production
// static files storage refuses to collect a file that names one it cannot find.
const fs = require('node:fs')
const path = require('node:path')

const root = path.join(__dirname, '..')
const target = path.join(root, 'static_build', 'vendor')
const bundles = {
  'govuk-frontend': 'node_modules/govuk-frontend/dist/govuk',
  'moj-frontend': 'node_modules/@ministryofjustice/frontend/moj'
}
fs.rmSync(target, { recursive: true, force: true })
for (const [name, source] of Object.entries(bundles)) {
  fs.mkdirSync(path.join(target, name), { recursive: true })
  for (const file of ['all.bundle.js', 'all.bundle.js.map']) {
    fs.copyFileSync(path.join(root, source, file), path.join(target, name, file))
  }
}
