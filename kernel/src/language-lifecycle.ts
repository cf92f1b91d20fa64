/**
 * The kernel's language server (type checker, transpiler, completions): started once, early, and warmed in the
 * background (kernel_info does not wait for the warm-up: a first cell queues behind it in the language server
 * instead). A server that died is replaced on the next use.
 */
import { Language } from "./executor/language";
import { GLOBALS_DTS } from "./display/globals";

/** Warm-up checks queued before the first cell: ~25 ms more, and the first cells check 1.5-2x faster. */
const WARM_ROUNDS = Number(process.env.FOLIO_WARM_ROUNDS ?? 6);

export class LanguageLifecycle {
  private language: Language | undefined;
  /** `early`: a server the caller started before this host existed (the CLI does, before ZeroMQ loads). */
  constructor(private readonly dir: string, private readonly log: (text: string) => void, early?: Language) {
    if (early) this.adopt(early);
  }

  /** The running server, started (or restarted) if need be. */
  get(): Language {
    if (this.language && !this.language.dead) return this.language;
    if (this.language?.dead) this.log("language server died: restarting it (earlier cells' declarations are lost)");
    return this.adopt(new Language(this.dir, GLOBALS_DTS));
  }

  async close(): Promise<void> {
    await this.language?.close().catch(() => 0);
  }

  private adopt(language: Language): Language {
    this.language = language;
    void language.warm(WARM_ROUNDS).then(
      (t) => { if (process.env.FOLIO_DEBUG) this.log(`typescript (${language.via}) loaded in ${t.loadMs} ms, warm in ${t.warmMs} ms`); },
      (e) => this.log(`language server: ${e}`),
    );
    return language;
  }
}
