/** A highlight.js language definition (`highlight.js/lib/languages/*`); see `highlight-core.d.ts` for why. */
export type LanguageFn = (hljs: unknown) => object;

declare const language: LanguageFn;
export default language;
