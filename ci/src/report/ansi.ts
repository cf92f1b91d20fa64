/**
 * ANSI terminal text (stream outputs, tracebacks) to escaped HTML: SGR colour and weight codes become spans
 * with Jupyter's class names (`ansi-red-fg`, `ansi-bold`…); every other control sequence is dropped.
 */
import { ANSI_ESCAPES } from "../nbformat";
import { escapeHtml } from "./html";

const NAMES = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"];

interface Sgr {
  fg?: string;
  bg?: string;
  fgRgb?: string;
  bgRgb?: string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
}

/** xterm 256-colour palette entry n (16..255) as rgb(). */
function xterm256(n: number): string {
  if (n >= 232) {
    const v = 8 + 10 * (n - 232);
    return `rgb(${v},${v},${v})`;
  }
  const i = n - 16,
    steps = [0, 95, 135, 175, 215, 255];
  return `rgb(${steps[Math.floor(i / 36)]},${steps[Math.floor(i / 6) % 6]},${steps[i % 6]})`;
}

function applySgr(st: Sgr, params: number[]): void {
  if (params.length === 0) params = [0];
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    if (p === 0) {
      for (const k of Object.keys(st)) delete (st as Record<string, unknown>)[k];
    } else if (p === 1) st.bold = true;
    else if (p === 2) st.dim = true;
    else if (p === 3) st.italic = true;
    else if (p === 4) st.underline = true;
    else if (p === 7) st.inverse = true;
    else if (p === 22) {
      st.bold = false;
      st.dim = false;
    } else if (p === 23) st.italic = false;
    else if (p === 24) st.underline = false;
    else if (p === 27) st.inverse = false;
    else if (p >= 30 && p <= 37) {
      st.fg = NAMES[p - 30];
      st.fgRgb = undefined;
    } else if (p >= 90 && p <= 97) {
      st.fg = `bright-${NAMES[p - 90]}`;
      st.fgRgb = undefined;
    } else if (p === 39) {
      st.fg = undefined;
      st.fgRgb = undefined;
    } else if (p >= 40 && p <= 47) {
      st.bg = NAMES[p - 40];
      st.bgRgb = undefined;
    } else if (p >= 100 && p <= 107) {
      st.bg = `bright-${NAMES[p - 100]}`;
      st.bgRgb = undefined;
    } else if (p === 49) {
      st.bg = undefined;
      st.bgRgb = undefined;
    } else if (p === 38 || p === 48) {
      let colour: { name?: string; rgb?: string } | undefined;
      if (params[i + 1] === 5 && i + 2 < params.length) {
        const n = params[i + 2];
        colour =
          n < 8
            ? { name: NAMES[n] }
            : n < 16
              ? { name: `bright-${NAMES[n - 8]}` }
              : { rgb: xterm256(Math.min(255, n)) };
        i += 2;
      } else if (params[i + 1] === 2 && i + 4 < params.length) {
        const [r, g, b] = params.slice(i + 2, i + 5).map((v) => Math.max(0, Math.min(255, v)));
        colour = { rgb: `rgb(${r},${g},${b})` };
        i += 4;
      }
      if (colour && p === 38) {
        st.fg = colour.name;
        st.fgRgb = colour.rgb;
      }
      if (colour && p === 48) {
        st.bg = colour.name;
        st.bgRgb = colour.rgb;
      }
    }
  }
}

function openSpan(st: Sgr): string {
  const cls: string[] = [],
    style: string[] = [];
  let { fg, bg, fgRgb, bgRgb } = st;
  if (st.inverse) {
    [fg, bg] = [bg ?? "default-inverse", fg ?? "default-inverse"];
    [fgRgb, bgRgb] = [bgRgb, fgRgb];
  }
  if (fg) cls.push(`ansi-${fg}-fg`);
  if (bg) cls.push(`ansi-${bg}-bg`);
  if (fgRgb) style.push(`color:${fgRgb}`);
  if (bgRgb) style.push(`background-color:${bgRgb}`);
  if (st.bold) cls.push("ansi-bold");
  if (st.dim) cls.push("ansi-dim");
  if (st.italic) cls.push("ansi-italic");
  if (st.underline) cls.push("ansi-underline");
  if (cls.length === 0 && style.length === 0) return "";
  return `<span${cls.length ? ` class="${cls.join(" ")}"` : ""}${style.length ? ` style="${style.join(";")}"` : ""}>`;
}

/** Converts ANSI-coloured text to HTML (escaped); unsupported control sequences are removed. */
export function ansiToHtml(text: string): string {
  const st: Sgr = {};
  let out = "",
    last = 0,
    open = "";
  const emit = (s: string) => {
    if (s) out += open + escapeHtml(s) + (open ? "</span>" : "");
  };
  for (const m of text.matchAll(ANSI_ESCAPES)) {
    emit(text.slice(last, m.index));
    last = m.index! + m[0].length;
    if (m[2] === "m") {
      applySgr(st, m[1] === "" ? [] : m[1].split(/[;:]/).map((v) => (v === "" ? 0 : Number(v))));
      open = openSpan(st);
    }
  }
  emit(text.slice(last));
  return out;
}
