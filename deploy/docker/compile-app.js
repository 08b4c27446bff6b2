// Compiles one app and the libs for its image: TypeScript → CommonJS with @swc/core (the same .swcrc the tests run
// with), `@korpu/<lib>` imports rewritten to relative paths, non-TypeScript files (migrations, console assets) copied.
// Specs are left out. Usage (repository root): node deploy/docker/compile-app.js <app> <outDir>
const fs = require('node:fs');
const path = require('node:path');
const swc = require('@swc/core');

const [app, outDir] = process.argv.slice(2);
if (!app || !outDir) {
  process.stderr.write('usage: node deploy/docker/compile-app.js <app> <outDir>\n');
  process.exit(2);
}
const root = path.resolve(__dirname, '../..');
const out = path.resolve(outDir);
const config = JSON.parse(fs.readFileSync(path.join(root, '.swcrc'), 'utf8'));
delete config.$schema;
config.jsc.baseUrl = root;
config.jsc.paths = { '@korpu/*': ['libs/*/src'] };
config.sourceMaps = false;

const isSpec = (file) => /\.(spec|int-spec|e2e-spec)\.ts$/.test(file);
let compiled = 0;
function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const source = path.join(dir, entry.name);
    const target = path.join(out, path.relative(root, source));
    if (entry.isDirectory()) {
      walk(source);
    } else if (entry.name.endsWith('.ts')) {
      if (isSpec(entry.name) || entry.name.endsWith('.d.ts')) continue;
      const { code } = swc.transformFileSync(source, { ...config, swcrc: false, filename: source });
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target.replace(/\.ts$/, '.js'), code);
      compiled += 1;
    } else if (!entry.name.endsWith('.md')) {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(source, target);
    }
  }
}
if (!fs.existsSync(path.join(root, 'apps', app, 'src'))) {
  process.stderr.write(`no app "${app}" under apps/\n`);
  process.exit(2);
}
walk(path.join(root, 'apps', app));
walk(path.join(root, 'libs'));
process.stdout.write(`compiled ${compiled} files of apps/${app} and libs/ into ${out}\n`);
