/**
 * The kernel's language server (type checker, transpiler, completions): started once, after the kernel's first
 * reply (kernel.ts), and warmed in the background (kernel_info does not wait for the warm-up: a first cell
 * queues behind it in the language server instead). A server that died is replaced on the next use.
 */
import { Language } from "./executor/language";
import { GLOBALS_DTS } from "./display/globals";

/** Warm-up checks while nothing else is asked: the first cells then check 1.5-2x faster. */
const WARM_ROUNDS = Number(process.env.FOLIO_WARM_ROUNDS ?? 6);

export class LanguageLifecycle {
  private language: Language | undefined;
  constructor(
    private readonly dir: string,
    private readonly log: (text: string) => void,
  ) {}

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
    void warmWhileIdle(language, WARM_ROUNDS).then(
      (t) => {
        if (process.env.FOLIO_DEBUG)
          this.log(
            `typescript (${language.via}) loaded in ${t.loadMs} ms, warm in ${t.warmMs} ms (${t.rounds} rounds)`,
          );
      },
      (e) => this.log(`language server: ${e}`),
    );
    return language;
  }
}

/**
 * Warm-up rounds one at a time, stopping once a real request waits: a first cell sent right after kernel_info
 * queues behind one round (10-30 ms of the language process's CPU) instead of all six (~80 ms).
 */
async function warmWhileIdle(
  language: Language,
  rounds: number,
): Promise<{ loadMs: number; warmMs: number; rounds: number }> {
  const first = await language.warm(1);
  let n = 1,
    warmMs = first.warmMs;
  for (; n < rounds && language.idle; n++) warmMs += (await language.warm(1, n)).warmMs;
  return { loadMs: first.loadMs, warmMs, rounds: n };
}
