/**
 * The part of highlight.js's API the report uses (`pages.ts`). Declared here because highlight.js's own types
 * begin with `/// <reference lib="dom" />`, which would put the DOM's globals into every file of the runner's
 * Node program. tsconfig `paths` sends `highlight.js/lib/core` here for types only; at run time Node loads the
 * real module.
 */
import type { LanguageFn } from "./highlight-language";

interface HighlightJs {
  registerLanguage(name: string, language: LanguageFn): void;
  getLanguage(name: string): object | undefined;
  highlight(code: string, options: { language: string; ignoreIllegals?: boolean }): { value: string };
}

declare const hljs: HighlightJs;
export default hljs;
