/**
 * Terminal output while notebooks run: on a TTY, one live line per running notebook (cells done / total,
 * elapsed) redrawn in place under the permanent lines; otherwise only the permanent lines.
 */
export class ProgressBoard {
  private running = new Map<string, { done: number; total: number; t0: number }>();
  private drawn = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly out: { write(s: string): unknown; columns?: number },
    readonly live: boolean,
  ) {
    if (live) {
      this.timer = setInterval(() => this.redraw(), 250);
      this.timer.unref();
    }
  }

  start(name: string, total: number): void {
    this.running.set(name, { done: 0, total, t0: Date.now() });
    this.redraw();
  }
  update(name: string, done: number, total: number): void {
    const r = this.running.get(name);
    if (r) {
      r.done = done;
      r.total = total;
    }
  }
  finish(name: string): void {
    this.running.delete(name);
    this.redraw();
  }

  /** Prints permanent text above the live lines. */
  print(text: string): void {
    this.erase();
    this.out.write(text.endsWith("\n") ? text : `${text}\n`);
    this.draw();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.erase();
  }

  private erase(): void {
    if (!this.live || this.drawn === 0) return;
    this.out.write(`\x1b[${this.drawn}F\x1b[J`);
    this.drawn = 0;
  }
  private draw(): void {
    if (!this.live) return;
    const cols = this.out.columns || 100;
    const lines = [...this.running].map(([name, r]) => {
      const secs = ((Date.now() - r.t0) / 1000).toFixed(0);
      return `  … ${name}  ${r.done}/${r.total} cells  ${secs} s`.slice(0, cols - 1);
    });
    for (const l of lines) this.out.write(`${l}\n`);
    this.drawn = lines.length;
  }
  private redraw(): void {
    this.erase();
    this.draw();
  }
}
