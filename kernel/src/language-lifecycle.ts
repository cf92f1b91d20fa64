/**
 * The kernel's language server (type checker, transpiler, completions): started once, after the kernel's first
 * reply (kernel.ts), and warmed in the background (kernel_info does not wait for the warm-up: a first cell
 * queues behind it in the language server instead). A server that died is replaced on the next use.
 */
import { Language } from "./executor/language";
import { GLOBALS_DTS } from "./display/globals";

/** Warm-up checks while nothing else is asked: the first cells then check 1.5-2x faster. */
const WARM_ROUNDS = Number(process.env.FOLIO_WARM_ROUNDS ?? 6);
/** After the first round, a round runs only once the language server has had no request for this long. */
const QUIET_MS = Number(process.env.FOLIO_WARM_QUIET_MS ?? 400);

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
    const debug = (text: string) => {
      if (process.env.FOLIO_DEBUG) this.log(text);
    };
    void warmWhenQuiet(language, WARM_ROUNDS, debug).catch((e) => this.log(`language server: ${e}`));
    return language;
  }
}

/**
 * Warm-up rounds one at a time: the first at once (a first cell sent right after kernel_info queues behind it,
 * 10-30 ms of the language process's CPU), each later one once the server has been quiet for `QUIET_MS` (a
 * user reading or typing; a client sending cells back to back never waits for one). Later rounds rebuild the
 * program for a new import, the path a cell's first import takes (language-server.ts).
 */
async function warmWhenQuiet(language: Language, rounds: number, debug: (text: string) => void): Promise<void> {
  const first = await language.warm(1);
  debug(`typescript (${language.via}) loaded in ${first.loadMs} ms, warm in ${first.warmMs} ms (first round)`);
  for (let n = 1; n < rounds && !language.dead; ) {
    const quiet = language.quietMs();
    if (!language.idle || quiet < QUIET_MS) {
      await new Promise((r) => setTimeout(r, QUIET_MS - Math.min(quiet, QUIET_MS / 2)).unref());
      continue;
    }
    const t = await language.warm(1, n++);
    debug(`warm-up round ${n} while quiet: ${t.warmMs} ms`);
  }
}
