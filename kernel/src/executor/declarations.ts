/**
 * The global declarations (TypeScript's lib files and @types/node) as one file. TypeScript builds a new program
 * and checker for every cell; with 160 separate declaration files each one pays per-file bookkeeping and the
 * checker re-merges every global declared in several files (`interface Array` is declared in 12 lib files)
 * into fresh clones. In one file the binder merges them once, and a trivial cell's check takes half the time
 * (1.8 vs 3.5 ms measured). Declaration files that are modules (undici-types, a few @types/node ones) stay
 * separate, referenced from the bundle.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type * as TS from "typescript";

export interface DeclarationBundle {
  /** Where the bundle stands in for @types/node's entry file, so `types: ["node"]` and every
   *  `/// <reference types="node" />` resolve to it. */
  file: string;
  text: string;
}

/** True when the text has a top-level `import` or `export` (brace depth 0): an external module. */
export function isModuleText(ts: typeof TS, text: string): boolean {
  const s = ts.createScanner(ts.ScriptTarget.ES2022, true, ts.LanguageVariant.Standard, text);
  let depth = 0;
  for (let k = s.scan(); k !== ts.SyntaxKind.EndOfFileToken; k = s.scan()) {
    if (k === ts.SyntaxKind.OpenBraceToken) depth++;
    else if (k === ts.SyntaxKind.CloseBraceToken) depth--;
    else if (depth === 0 && (k === ts.SyntaxKind.ImportKeyword || k === ts.SyntaxKind.ExportKeyword)) return true;
  }
  return false;
}

const REFERENCE = /^\/\/\/\s*<reference\s[^>]*>\s*$/gm;

/**
 * Concatenates the lib files named in `options.lib` (following `/// <reference lib>`) and the script files of
 * @types/node (following `/// <reference path>`), or returns undefined when @types/node is not installed.
 * The program must then be built with `noLib: true`.
 */
export function bundleDeclarations(
  ts: typeof TS,
  options: TS.CompilerOptions,
  fromDir: string,
): DeclarationBundle | undefined {
  const resolved = ts.resolveTypeReferenceDirective(
    "node",
    path.join(fromDir, "__folio__.ts"),
    options,
    ts.sys,
  ).resolvedTypeReferenceDirective;
  const entry = resolved?.resolvedFileName;
  if (!entry) return undefined;
  const libDir = path.dirname(ts.getDefaultLibFilePath(options));
  const seen = new Set<string>();
  const parts: string[] = [];
  const modules: string[] = [];
  const strip = (name: string, text: string) => `// ${name}\n${text.replace(REFERENCE, "")}`;
  const addLib = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = fs.readFileSync(file, "utf8");
    for (const l of ts.preProcessFile(text, false, false).libReferenceDirectives)
      addLib(path.join(libDir, `lib.${l.fileName.toLowerCase()}.d.ts`));
    parts.push(strip(path.basename(file), text));
  };
  const addPath = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = fs.readFileSync(file, "utf8");
    const pre = ts.preProcessFile(text, false, false);
    for (const l of pre.libReferenceDirectives) addLib(path.join(libDir, `lib.${l.fileName.toLowerCase()}.d.ts`));
    if (isModuleText(ts, text)) {
      modules.push(file);
      return;
    }
    for (const r of pre.referencedFiles) addPath(path.resolve(path.dirname(file), r.fileName));
    parts.push(strip(path.relative(path.dirname(entry), file), text));
  };
  for (const lib of options.lib ?? ["lib.es2023.d.ts"]) addLib(path.join(libDir, lib));
  addPath(entry);
  const refs = modules.map(
    (m) => `/// <reference path="${path.relative(path.dirname(entry), m).split(path.sep).join("/")}" />`,
  );
  return { file: entry, text: `${refs.join("\n")}\n${parts.join("\n")}` };
}
