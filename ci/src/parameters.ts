/**
 * Papermill-compatible parameters. Values come from `-f FILE` (YAML), `-y YAML`, `-p NAME VALUE` (typed as
 * papermill's `_resolve_type`: True/False/None, int, float, else text) and `-r NAME VALUE` (raw text), merged
 * in papermill's order; YAML is read as PyYAML's SafeLoader reads it, without dates. The notebook gets a code
 * cell tagged `injected-parameters` right after the cell tagged `parameters` (at the top when there is none;
 * an earlier injected cell is replaced), and `metadata.papermill.parameters` records the values.
 * Python notebooks get papermill's own Python translation (`# Parameters`, `name = value`). TypeScript
 * notebooks, which papermill cannot translate, get declarations of the kind the parameters cell uses (`let`
 * stays `let`, so later cells may still reassign it; `const` for a name it does not declare), with its type
 * annotation, and these are type-checked against the parameters cell before anything runs: `-p lr abc` for
 * `let lr = 0.1` is a type error. Names the parameters cell does not declare are reported, as papermill warns
 * "Passed unknown parameter".
 * @see https://papermill.readthedocs.io/en/latest/usage-parameterize.html
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import type * as TS from "typescript";
import { fileProblem } from "./files";
import { cellTags, type Cell, type CodeCell, type Notebook } from "./nbformat";

/** A float as Python has it (1.0 is not the int 1): papermill prints them differently. */
export class PyFloat {
  constructor(readonly value: number) {}
  toJSON(): number | string {
    return Number.isFinite(this.value) ? this.value : String(this.value);
  }
}

export type Param = null | boolean | number | string | PyFloat | Param[] | { [key: string]: Param };
export type Params = Record<string, Param>;

/** A parameter value that cannot be read (bad YAML, a file that is missing). */
export class ParameterError extends Error {}

// PyYAML's SafeLoader (YAML 1.1), with papermill's NoDatesSafeLoader change: timestamps stay text; floats stay floats
const pyFloatTag = yaml.defineScalarTag<PyFloat>(yaml.floatYaml11Tag.tagName, {
  implicit: true,
  implicitFirstChars: yaml.floatYaml11Tag.implicitFirstChars,
  resolve: (s, explicit, tag) => {
    const v = yaml.floatYaml11Tag.resolve(s, explicit, tag);
    return v === yaml.NOT_RESOLVED ? v : new PyFloat(v);
  },
  identify: (x) => x instanceof PyFloat,
});
const PAPERMILL_YAML = new yaml.Schema(
  yaml.YAML11_SCHEMA.tags
    .filter((t) => t.tagName !== yaml.timestampTag.tagName)
    .map((t) => (t.tagName === yaml.floatYaml11Tag.tagName ? pyFloatTag : t)),
);

/** YAML parameters (`where` names them in errors: `-f FILE` or `-y TEXT`; `file` adds FILE:LINE:COLUMN). */
function readYaml(text: string, where: string, file?: string): Params {
  let v: unknown;
  try {
    v = yaml.load(text, { schema: PAPERMILL_YAML });
  } catch (e) {
    const { mark, reason } = e as { mark?: { line: number; column: number }; reason?: string };
    if (!mark || !reason) throw new ParameterError(`${where}: ${(e as Error).message.split("\n")[0]}`);
    const at = file
      ? `${file}:${mark.line + 1}:${mark.column + 1}`
      : `line ${mark.line + 1}, column ${mark.column + 1}`;
    throw new ParameterError(`${where}: malformed YAML at ${at}: ${reason}`);
  }
  if (v === null || v === undefined) return {};
  if (typeof v !== "object" || Array.isArray(v)) {
    throw new ParameterError(
      `${where}: parameters must be a mapping of names to values (name: value), not ${Array.isArray(v) ? "a list" : `the ${typeof v} ${JSON.stringify(v)}`}`,
    );
  }
  return v as Params;
}

/** papermill's `_resolve_type` for `-p NAME VALUE`. */
export function resolveType(value: string): Param {
  if (value === "True") return true;
  if (value === "False") return false;
  if (value === "None") return null;
  const t = value.trim();
  if (/^[-+]?\d+(_\d+)*$/.test(t)) return Number(t.replace(/_/g, ""));
  if (/^[-+]?((\d+(_\d+)*)?\.\d+(_\d+)*|\d+(_\d+)*\.?)([eE][-+]?\d+)?$/.test(t))
    return new PyFloat(Number(t.replace(/_/g, "")));
  if (/^[-+]?(inf|infinity)$/i.test(t)) return new PyFloat(t.startsWith("-") ? -Infinity : Infinity);
  if (/^[-+]?nan$/i.test(t)) return new PyFloat(NaN);
  return value;
}

/** One parameter source, in the order given on the command line. */
export type ParamSource = { file: string } | { yaml: string } | { name: string; value: string; raw?: boolean };

/** Merges the sources as papermill's CLI does: files, then YAML strings, then -p, then -r (later wins). */
export function mergeParams(sources: ParamSource[]): Params {
  const out: Params = {};
  for (const s of sources)
    if ("file" in s) {
      let text: string;
      try {
        text = fs.readFileSync(s.file, "utf8");
      } catch (e) {
        throw new ParameterError(`-f ${s.file}: cannot read ${path.resolve(s.file)}: ${fileProblem(e)}`);
      }
      Object.assign(out, readYaml(text, `-f ${s.file}`, s.file));
    }
  for (const s of sources) if ("yaml" in s) Object.assign(out, readYaml(s.yaml, `-y ${JSON.stringify(s.yaml)}`));
  for (const s of sources) if ("name" in s && !s.raw) out[s.name] = resolveType(s.value);
  for (const s of sources) if ("name" in s && s.raw) out[s.name] = s.value;
  return out;
}

/**
 * The text given to `-p` for each name whose merged value is that `-p` typed as something other than text
 * (`-p label 5` is the number 5): when the notebook wants a string there, the error suggests `-r`.
 */
export function typedFromText(sources: ParamSource[]): Record<string, string> {
  const out: Record<string, string> = {};
  // the merge order: the last -p wins, then any -r
  for (const s of sources)
    if ("name" in s && !s.raw) {
      if (typeof resolveType(s.value) !== "string") out[s.name] = s.value;
      else delete out[s.name];
    }
  for (const s of sources) if ("name" in s && s.raw) delete out[s.name];
  return out;
}

/** Python's repr of a float (shortest round-trip digits; exponent form below 1e-4 and from 1e16). */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "float('nan')";
  if (!Number.isFinite(x)) return x < 0 ? "float('-inf')" : "float('inf')";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mant, expText] = Math.abs(x).toExponential().split("e");
  const exp = Number(expText),
    digits = mant.replace(".", ""),
    sign = x < 0 ? "-" : "";
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  const int = digits.slice(0, exp + 1).padEnd(exp + 1, "0"),
    frac = digits.slice(exp + 1);
  return `${sign}${int}.${frac || "0"}`;
}

/** Python's `str.encode('unicode_escape').decode()`, which papermill applies to every string. */
function unicodeEscape(s: string): string {
  let out = "";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || (c >= 0x7f && c < 0x100)) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else if (c >= 0x100 && c < 0x10000) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else if (c >= 0x10000) out += `\\U${c.toString(16).padStart(8, "0")}`;
    else out += ch;
  }
  return out;
}

/** papermill's PythonTranslator.translate. */
export function pythonValue(v: Param): string {
  if (v === null) return "None";
  if (typeof v === "string") return `"${unicodeEscape(v).replace(/"/g, '\\"')}"`;
  if (typeof v === "boolean") return v ? "True" : "False";
  if (v instanceof PyFloat) return pyFloatRepr(v.value);
  if (typeof v === "number") return Number.isInteger(v) ? BigInt(v).toString() : pyFloatRepr(v);
  if (Array.isArray(v)) return `[${v.map(pythonValue).join(", ")}]`;
  return `{${Object.entries(v)
    .map(([k, x]) => `${pythonValue(k)}: ${pythonValue(x)}`)
    .join(", ")}}`;
}

/** A TypeScript expression for a value (JSON's forms, plus NaN and ±Infinity). */
export function typescriptValue(v: Param): string {
  if (v === null) return "null";
  if (v instanceof PyFloat) return typescriptValue(v.value);
  if (typeof v === "number")
    return Number.isNaN(v) ? "NaN" : v === Infinity ? "Infinity" : v === -Infinity ? "-Infinity" : String(v);
  if (typeof v === "string" || typeof v === "boolean") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(typescriptValue).join(", ")}]`;
  return `{ ${Object.entries(v)
    .map(([k, x]) => `${JSON.stringify(k)}: ${typescriptValue(x)}`)
    .join(", ")} }`;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

/**
 * A variable the parameters cell declares: its keyword, its type annotation (if any), the declaration's text, and
 * (Python) whether its value is a string literal.
 */
export interface Declared {
  kind: "const" | "let" | "var";
  type?: string;
  text: string;
  textLiteral?: boolean;
}

const isScript = (language: string) => ["typescript", "javascript"].includes(language.toLowerCase());

/**
 * The injected cell's source for a notebook language, or undefined when there is no translator for it.
 * TypeScript and JavaScript declare each name as the parameters cell does (`declared`): same keyword, same
 * type annotation, so `let lr = 0.1` gets `let lr = 0.5;` and later cells can still assign to it.
 */
export function parameterSource(
  params: Params,
  language: string,
  declared: ReadonlyMap<string, Declared> = new Map(),
): string | undefined {
  const l = language.toLowerCase();
  if (l === "python")
    return `# Parameters\n${Object.entries(params)
      .map(([k, v]) => `${k} = ${pythonValue(v)}\n`)
      .join("")}`;
  if (isScript(l)) {
    const line = ([k, v]: [string, Param]) => {
      const d = declared.get(k);
      return `${d?.kind ?? "const"} ${k}${d?.type ? `: ${d.type}` : ""} = ${typescriptValue(v)};\n`;
    };
    return `// Parameters\n${Object.entries(params).map(line).join("")}`;
  }
  return undefined;
}

/** The index of the first cell with `tag`, or -1. */
function tagged(nb: Notebook, tag: string): number {
  return nb.cells.findIndex((c) => cellTags(c).includes(tag));
}

/** What went wrong injecting parameters: a message, and the cell it concerns. */
export interface ParamProblem {
  message: string;
  cell?: { index: number; id: string };
}

/** A notebook with parameters injected, and the names its parameters cell does not declare (papermill warns of them). */
export interface Injected {
  notebook: Notebook;
  /** Names passed that the parameters cell does not declare (all of them when there is no parameters cell). */
  unknown: string[];
  /** The names the parameters cell declares; undefined when the notebook has no cell tagged parameters. */
  known?: string[];
  /** (Python) `-p` values typed as numbers or True/False/None for names the parameters cell assigns text: `-r` was likely meant. */
  textExpected: { name: string; text: string; declared: string }[];
}

/** What `-p NAME VALUE` typed as a non-string, by name (see `typedFromText`): a type error then suggests `-r`. */
export interface InjectOptions {
  typedFromText?: Record<string, string>;
}

/**
 * The notebook with the parameters injected (a copy), or the problem: no translator for its language, a name
 * that is not an identifier, or (TypeScript) a value whose type does not fit the parameters cell's declaration.
 */
export function injectParameters(
  nb: Notebook,
  params: Params,
  language: string,
  file: string,
  opts: InjectOptions = {},
): Injected | { problem: ParamProblem } {
  const bad = Object.keys(params).find((k) => !IDENT.test(k));
  if (bad !== undefined) return { problem: { message: `parameter name ${JSON.stringify(bad)} is not an identifier` } };
  if (parameterSource({}, language) === undefined)
    return {
      problem: {
        message: `no parameter translator for language "${language}" (python, typescript and javascript have one)`,
      },
    };
  const out: Notebook = JSON.parse(JSON.stringify(nb));
  const paramsAt = tagged(out, "parameters");
  const declared = paramsAt >= 0 ? declarations(out.cells[paramsAt].source, language) : new Map<string, Declared>();
  if (language.toLowerCase() === "typescript" && paramsAt >= 0) {
    const check = (ps: Params) => typeCheckParameters(out, paramsAt, ps, file, declared);
    const problem = check(params);
    if (problem) {
      // `-p label 5` for `let label = "base"`: the same text as a string would have fitted
      const text = opts.typedFromText?.[problem.name];
      const hint =
        text !== undefined && !check({ [problem.name]: text })
          ? `; to pass it as text, use -r ${problem.name} ${shellWord(text)}`
          : "";
      return { problem: { cell: problem.cell, message: problem.message + hint } };
    }
  }
  const source = parameterSource(params, language, declared)!;
  const injectedAt = tagged(out, "injected-parameters");
  const ids = new Set(out.cells.map((c) => c.id));
  let id = "injected-parameters";
  for (let n = 2; ids.has(id) && injectedAt < 0; n++) id = `injected-parameters-${n}`;
  const cell: CodeCell = {
    id: injectedAt >= 0 ? out.cells[injectedAt].id : id,
    cell_type: "code",
    metadata: { tags: ["injected-parameters"] },
    source,
    outputs: [],
    execution_count: null,
  };
  if (injectedAt >= 0) out.cells[injectedAt] = cell;
  else out.cells.splice(paramsAt + 1, 0, cell);
  const pm = (out.metadata.papermill ?? {}) as Record<string, unknown>;
  out.metadata.papermill = { ...pm, parameters: JSON.parse(JSON.stringify(params)), input_path: file };
  // Python has no types to check, so a typed value where the cell assigns text is only warned of
  const textExpected = Object.entries(opts.typedFromText ?? {})
    .filter(([k]) => declared.get(k)?.textLiteral)
    .map(([name, text]) => ({ name, text, declared: declared.get(name)!.text }));
  return {
    notebook: out,
    unknown: Object.keys(params).filter((k) => !declared.has(k)),
    known: paramsAt >= 0 ? [...declared.keys()] : undefined,
    textExpected,
  };
}

/** The warning for a typed `-p` value where the parameters cell assigns text (see `Injected.textExpected`). */
export function textExpectedWarning(t: Injected["textExpected"][number]): string {
  return `-p ${t.name} ${shellWord(t.text)} is typed as ${pythonValue(resolveType(t.text))}, but the parameters cell assigns text (${t.declared}); to pass it as text, use -r ${t.name} ${shellWord(t.text)}`;
}

/** papermill's "Passed unknown parameter" warning, naming what the notebook does take. */
export function unknownParameters(unknown: string[], known: string[] | undefined): string {
  const names = unknown.join(", ");
  const s = unknown.length === 1 ? "" : "s";
  if (known === undefined)
    return `no cell is tagged parameters, so the parameter${s} ${names} went into a cell at the top`;
  return `unknown parameter${s} ${names} (injected, but the parameters cell declares ${known.length ? known.join(", ") : "nothing"})`;
}

/** A word as a POSIX shell reads it back: bare when safe, else single-quoted. */
function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The variables a parameters cell declares: TypeScript's and JavaScript's top-level declarations, Python's top-level assignments. */
function declarations(source: string, language: string): Map<string, Declared> {
  if (isScript(language)) return declaredNames(require("typescript") as typeof TS, source);
  const out = new Map<string, Declared>();
  // papermill's PythonTranslator.inspect: `name = value` or `name: annotation = value` at the start of a line
  for (const m of source.matchAll(/^([A-Za-z_]\w*)\s*(?::[^=\n]*)?=(?!=)(.*)$/gm)) {
    if (!out.has(m[1]))
      out.set(m[1], { kind: "var", text: m[0].trim(), textLiteral: /^\s*[rRuUfF]{0,2}['"]/.test(m[2]) });
  }
  return out;
}

/**
 * Type-checks the injected values against the parameters cell with TypeScript: the code cells up to the
 * parameters cell (its `const`s read as `let`, so `const lr = 0.1` means number, not the literal 0.1), then
 * `const value: typeof name = …` for every parameter that cell declares. Only errors on those lines count.
 */
function typeCheckParameters(
  nb: Notebook,
  paramsAt: number,
  params: Params,
  file: string,
  declared: ReadonlyMap<string, Declared>,
): (ParamProblem & { name: string }) | undefined {
  const ts = require("typescript") as typeof TS;
  const cell = nb.cells[paramsAt] as Cell;
  const checks = Object.entries(params).filter(([k]) => declared.has(k));
  if (checks.length === 0) return undefined;
  const prefix = nb.cells
    .slice(0, paramsAt)
    .filter((c) => c.cell_type === "code")
    .map((c) => c.source)
    .join("\n;\n");
  const body = `${prefix}\n;\n${letForConst(ts, cell.source)}\n;\n`;
  // inside a function the declared type counts, not the one narrowed by the initial value
  const lines = checks.map(
    ([k, v]) => `function __folio_parameter_${k}() { const value: typeof ${k} = ${typescriptValue(v)}; return value; }`,
  );
  const text = `${body}${lines.join("\n")}\nexport {};\n`;
  const virtual = path.join(path.dirname(path.resolve(file)), `__folio_parameters_${process.pid}__.ts`);
  const options: TS.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    allowImportingTsExtensions: true,
    skipLibCheck: true,
    types: ["node"],
    lib: ["lib.es2023.d.ts"],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) =>
    path.resolve(name) === virtual ? ts.createSourceFile(name, text, lang) : getSourceFile(name, lang, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => path.resolve(name) === virtual || fileExists(name);
  const program = ts.createProgram([virtual], options, host);
  const sf = program.getSourceFile(virtual)!;
  const start = body.length;
  for (const d of program.getSemanticDiagnostics(sf)) {
    if (d.start === undefined || d.start < start) continue;
    const line = text.slice(0, d.start).split("\n").length - body.split("\n").length;
    const [name, value] = checks[Math.max(0, Math.min(checks.length - 1, line))];
    const decl = declared.get(name)!;
    return {
      name,
      cell: { index: paramsAt, id: cell.id },
      message: `parameter ${name} = ${typescriptValue(value)}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")} (the parameters cell declares \`${decl.text}\`)`,
    };
  }
  return undefined;
}

/** The top-level variables a cell declares: keyword, type annotation and the text of each declaration. */
function declaredNames(ts: typeof TS, source: string): Map<string, Declared> {
  const sf = ts.createSourceFile("parameters.ts", source, ts.ScriptTarget.ES2022, true);
  const out = new Map<string, Declared>();
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    const kind =
      st.declarationList.flags & ts.NodeFlags.Const
        ? "const"
        : st.declarationList.flags & ts.NodeFlags.Let
          ? "let"
          : "var";
    for (const d of st.declarationList.declarations) {
      if (ts.isIdentifier(d.name))
        out.set(d.name.text, { kind, type: d.type?.getText(sf), text: `${kind} ${d.getText(sf)}` });
    }
  }
  return out;
}

/** The source with its top-level `const` declarations written as `let` (same positions), so their types widen. */
function letForConst(ts: typeof TS, source: string): string {
  const sf = ts.createSourceFile("parameters.ts", source, ts.ScriptTarget.ES2022, true);
  let out = source;
  for (const st of [...sf.statements].reverse()) {
    if (!ts.isVariableStatement(st) || !(st.declarationList.flags & ts.NodeFlags.Const)) continue;
    const at = st.declarationList.getStart(sf);
    if (out.slice(at, at + 5) === "const") out = `${out.slice(0, at)}let  ${out.slice(at + 5)}`;
  }
  return out;
}
