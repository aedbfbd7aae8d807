// Copies the GOV.UK and MOJ Frontend script bundles to where Django collects static files.
const fs = require('node:fs')
const path = require('node:path')

const target = path.join(__dirname, '..', 'static_build', 'vendor')
fs.mkdirSync(target, { recursive: true })
const bundles = {
  'govuk-frontend.js': 'node_modules/govuk-frontend/dist/govuk/all.bundle.js',
  'moj-frontend.js': 'node_modules/@ministryofjustice/frontend/moj/all.bundle.js'
}
for (const [name, source] of Object.entries(bundles)) {
  fs.copyFileSync(path.join(__dirname, '..', source), path.join(target, name))
}
