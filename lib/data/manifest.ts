/**
 * Verification of the npm-shipped datasets against `data/manifest.json` (package, version, sha256 per file), so
 * a changed or missing dataset fails with a message naming the package and file instead of skewing a notebook.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

export interface DatasetEntry {
  package: string;
  version: string;
  description: string;
  files: Record<string, string>;
}

/** Reads data/manifest.json from the repository root. */
export function readManifest(root = path.resolve(__dirname, "..", "..")): DatasetEntry[] {
  return (JSON.parse(fs.readFileSync(path.join(root, "data", "manifest.json"), "utf8")) as { datasets: DatasetEntry[] })
    .datasets;
}

/** Checks every file of one dataset entry; returns one readable problem per mismatch (empty when all match). */
export function verifyDataset(entry: DatasetEntry): string[] {
  let dir: string;
  try {
    dir = path.dirname(require.resolve(`${entry.package}/package.json`));
  } catch {
    return [`dataset package "${entry.package}" is not installed: run \`npm ci\` at the repository root`];
  }
  const problems: string[] = [];
  const version = (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { version: string }).version;
  if (version !== entry.version)
    problems.push(`${entry.package}: version ${version} installed, manifest pins ${entry.version}`);
  for (const [file, sha] of Object.entries(entry.files)) {
    const f = path.join(dir, file);
    if (!fs.existsSync(f)) {
      problems.push(`${entry.package}: ${file} is missing`);
      continue;
    }
    const got = createHash("sha256").update(fs.readFileSync(f)).digest("hex");
    if (got !== sha)
      problems.push(`${entry.package}: ${file} has sha256 ${got.slice(0, 12)}…, manifest says ${sha.slice(0, 12)}…`);
  }
  return problems;
}
