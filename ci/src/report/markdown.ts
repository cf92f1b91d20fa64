/**
 * Markdown with LaTeX math, rendered at build time: markdown-it for the prose and KaTeX for the math, so a
 * page needs neither a network nor a script to show its equations. Math is tokenized by a markdown-it plugin
 * BEFORE emphasis and escapes run (`$a_1 * b_2$` must not become emphasis, `\(` must not lose its backslash),
 * and never inside code spans or fences. Delimiters: `$…$`, `\(…\)` inline; `$$…$$`, `\[…\]` and
 * `\begin{env}…\end{env}` as display. Inline `$` follows pandoc's rule (no space after the opening `$`, none
 * before the closing one, no digit right after it; no backtick inside), so "costs $5 and $10" stays text.
 */
import katex, { type KatexOptions } from "katex";
import MarkdownIt from "markdown-it";

type StateInline = MarkdownIt.StateInline;
type StateBlock = MarkdownIt.StateBlock;

/** KaTeX state shared by every formula of one page: `\newcommand` in one cell holds in the next, as in Jupyter. */
export interface MathContext {
  macros: NonNullable<KatexOptions["macros"]>;
}

export function newMathContext(): MathContext {
  return { macros: {} };
}

/** Renders one formula to HTML; a TeX error shows as KaTeX's red source text instead of failing the page. */
export function renderMath(tex: string, display: boolean, ctx: MathContext): string {
  return katex.renderToString(tex, {
    displayMode: display,
    throwOnError: false,
    strict: "ignore",
    output: "htmlAndMathml",
    macros: ctx.macros,
    globalGroup: true,
    trust: false,
  });
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/** Index of `needle` at or after `from` that is not escaped by an odd run of backslashes, or -1. */
function findUnescaped(src: string, needle: string, from: number, max: number): number {
  let i = from;
  for (;;) {
    i = src.indexOf(needle, i);
    if (i < 0 || i + needle.length > max) return -1;
    let b = 0;
    for (let k = i - 1; k >= from && src.charCodeAt(k) === 0x5c; k--) b++;
    if (b % 2 === 0) return i;
    i += 1;
  }
}

function mathInline(state: StateInline, silent: boolean): boolean {
  const src = state.src,
    pos = state.pos,
    max = state.posMax;
  const c = src.charCodeAt(pos);
  let open: string, close: string, display: boolean;
  if (c === 0x24 /* $ */) {
    display = src.charCodeAt(pos + 1) === 0x24;
    open = close = display ? "$$" : "$";
  } else if (c === 0x5c /* \ */) {
    const n = src.charCodeAt(pos + 1);
    if (n === 0x28 /* ( */) {
      open = "\\(";
      close = "\\)";
      display = false;
    } else if (n === 0x5b /* [ */) {
      open = "\\[";
      close = "\\]";
      display = true;
    } else return false;
  } else return false;

  const start = pos + open.length;
  if (open === "$" && (start >= max || isSpace(src.charCodeAt(start)))) return false;
  let end = start;
  for (;;) {
    end = open === "\\(" || open === "\\[" ? src.indexOf(close, end) : findUnescaped(src, close, end, max);
    if (end < 0 || end + close.length > max) return false;
    if (open === "$") {
      const after = src.charCodeAt(end + 1);
      if (isSpace(src.charCodeAt(end - 1)) || (after >= 0x30 && after <= 0x39)) {
        end += 1;
        continue;
      }
    }
    break;
  }
  const content = src.slice(start, end);
  if (content.trim() === "") return false;
  // "$5 and `$x$`": a backtick means the `$` pair straddles a code span, which wins, as it does in Jupyter.
  if (open === "$" && content.includes("`")) return false;
  if (!silent) {
    const t = state.push(display ? "math_display" : "math_inline", "math", 0);
    t.content = content;
    t.markup = open;
  }
  state.pos = end + close.length;
  return true;
}

function mathBlock(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  if (state.sCount[startLine] - state.blkIndent >= 4) return false; // an indented code block
  const src = state.src;
  const first = src.slice(state.bMarks[startLine] + state.tShift[startLine], state.eMarks[startLine]);
  let open: string,
    close: string,
    keep = false;
  const env = /^\\begin\{([A-Za-z]+\*?)\}/.exec(first);
  if (first.startsWith("$$")) {
    open = "$$";
    close = "$$";
  } else if (first.startsWith("\\[")) {
    open = "\\[";
    close = "\\]";
  } else if (env) {
    open = "";
    close = `\\end{${env[1]}}`;
    keep = true;
  } else return false;

  const lines: string[] = [];
  let line = startLine,
    rest = first.slice(open.length),
    from = keep ? env![0].length : 0;
  for (;;) {
    const k = rest.indexOf(close, from);
    if (k >= 0) {
      if (rest.slice(k + close.length).trim() !== "") return false; // text after the formula: leave it to the inline rule
      lines.push(keep ? rest.slice(0, k + close.length) : rest.slice(0, k));
      break;
    }
    lines.push(rest);
    line++;
    if (line >= endLine) return false;
    if (state.sCount[line] < state.blkIndent && state.bMarks[line] + state.tShift[line] < state.eMarks[line])
      return false;
    rest = src.slice(state.bMarks[line] + state.tShift[line], state.eMarks[line]);
    from = 0;
  }
  if (silent) return true;
  const t = state.push("math_block", "math", 0);
  t.block = true;
  t.content = lines.join("\n");
  t.markup = open || "\\begin";
  t.map = [startLine, line + 1];
  state.line = line + 1;
  return true;
}

/** The markdown-it plugin: math tokens rendered by KaTeX through `env.math` (a MathContext). */
export function mathPlugin(md: MarkdownIt.MarkdownIt): void {
  md.inline.ruler.before("escape", "math_inline", mathInline);
  md.block.ruler.before("fence", "math_block", mathBlock, { alt: ["paragraph", "reference", "blockquote", "list"] });
  const ctxOf = (env: unknown): MathContext => (env as { math?: MathContext } | undefined)?.math ?? newMathContext();
  md.renderer.rules.math_inline = (tokens, i, _o, env) => renderMath(tokens[i].content, false, ctxOf(env));
  md.renderer.rules.math_display = (tokens, i, _o, env) => renderMath(tokens[i].content, true, ctxOf(env));
  md.renderer.rules.math_block = (tokens, i, _o, env) =>
    `<div class="math-display">${renderMath(tokens[i].content, true, ctxOf(env))}</div>\n`;
}

/** Trusted markdown (the notebook's own markdown cells) may contain HTML, as in Jupyter. */
const trusted = new MarkdownIt({ html: true, linkify: false, typographer: false }).use(mathPlugin);
/** Markdown produced by code (text/markdown outputs) is escaped: no raw HTML gets through. */
const untrusted = new MarkdownIt({ html: false, linkify: false, typographer: false }).use(mathPlugin);

/** Renders a markdown document with math; `trustHtml` lets raw HTML through (markdown cells only). */
export function renderMarkdown(src: string, ctx: MathContext, trustHtml = false): string {
  return (trustHtml ? trusted : untrusted).render(src, { math: ctx });
}

/** Renders one line of markdown without a paragraph (titles in the index). */
export function renderMarkdownInline(src: string, ctx: MathContext): string {
  return untrusted.renderInline(src, { math: ctx });
}
