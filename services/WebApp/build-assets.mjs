// Builds the web app's static assets into wwwroot from the npm package nhsuk-frontend and assets-src/.
// Run by the csproj (incremental) after `npm ci`; wwwroot is build output and not committed.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const nhsuk = join(root, 'node_modules', 'nhsuk-frontend', 'dist', 'nhsuk');
const out = join(root, 'wwwroot');

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'css'), { recursive: true });
mkdirSync(join(out, 'js'), { recursive: true });

// The stylesheet loads the Frutiger web font from assets.nhs.uk. Nothing may load from a CDN, so those @font-face
// rules are dropped and the design system's own fallback (Arial, then sans-serif) is used.
const css = readFileSync(join(nhsuk, 'nhsuk-frontend.min.css'), 'utf8');
const fontFaces = /@font-face\{[^}]*\}/g;
const local = css.replace(fontFaces, (rule) => (/url\(https?:/.test(rule) ? '' : rule));
if (/url\(\s*["']?https?:/.test(local)) {
  throw new Error('nhsuk-frontend.min.css still refers to a remote URL');
}
writeFileSync(join(out, 'css', 'nhsuk-frontend.min.css'), local);

cpSync(join(nhsuk, 'nhsuk-frontend.min.js'), join(out, 'js', 'nhsuk-frontend.min.js'));
cpSync(join(nhsuk, 'assets'), join(out, 'assets'), { recursive: true });
cpSync(join(root, 'assets-src'), out, { recursive: true });

writeFileSync(join(out, '.assets-built'), new Date().toISOString() + '\n');
console.log('build-assets: wwwroot written');
