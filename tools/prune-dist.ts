/**
 * Deletes compiled files in protocol/, kernel/ and ci/ `dist/` whose TypeScript source is gone. `tsc -b` never
 * removes the output of a deleted or moved source, and `npm pack` ships whatever dist/ holds: a stale
 * ci/dist/cache.js once shadowed the new ci/dist/cache/index.js in a packed runner. Run by `npm run build`.
 */
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");
const OUTPUT = /(\.d\.ts\.map|\.d\.ts|\.js\.map|\.js)$/;

function prune(pkg: string): string[] {
  const dist = path.join(ROOT, pkg, "dist"),
    src = path.join(ROOT, pkg, "src");
  const removed: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (dir === dist && e.name === "assets") continue; // built assets (the report's widget bundle), not compiled sources
      const file = path.join(dir, e.name);
      if (e.isDirectory()) {
        walk(file);
        if (fs.readdirSync(file).length === 0) fs.rmdirSync(file);
        continue;
      }
      const m = OUTPUT.exec(e.name);
      if (!m) continue;
      const source = path.join(src, path.relative(dist, dir), `${e.name.slice(0, -m[1].length)}.ts`);
      if (!fs.existsSync(source)) {
        fs.rmSync(file);
        removed.push(path.relative(ROOT, file));
      }
    }
  };
  if (fs.existsSync(dist)) walk(dist);
  return removed;
}

const removed = ["protocol", "kernel", "ci"].flatMap(prune);
if (removed.length) console.log(`removed ${removed.length} stale compiled file(s): ${removed.join(", ")}`);
