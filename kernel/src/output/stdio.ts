/**
 * Routes `process.stdout` / `process.stderr` writes (console.log included) to the output sink of the request
 * being executed (after a cell ends, to the last one, as ipykernel does). The kernel's own diagnostics go
 * to the real stderr through `log`.
 */
import type { OutputSink } from "./sink";

type Write = typeof process.stdout.write;

export function captureStdio(current: () => OutputSink | undefined): { log: (text: string) => void } {
  const realErr = process.stderr.write.bind(process.stderr) as Write;
  const patch = (stream: NodeJS.WriteStream, name: "stdout" | "stderr") => {
    const real = stream.write.bind(stream) as Write;
    stream.write = ((chunk: unknown, encoding?: unknown, cb?: unknown): boolean => {
      const sink = current();
      if (!sink) return (real as (...a: unknown[]) => boolean)(chunk, encoding, cb);
      const text =
        typeof chunk === "string"
          ? chunk
          : Buffer.from(chunk as Uint8Array).toString(
              typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8",
            );
      sink.stream(name, text);
      const done = typeof encoding === "function" ? encoding : cb;
      if (typeof done === "function") queueMicrotask(() => (done as () => void)());
      return true;
    }) as Write;
  };
  patch(process.stdout, "stdout");
  patch(process.stderr, "stderr");
  // a client's message type or field can be megabytes: the log keeps a line readable
  const MAX = 2000;
  return {
    log: (text: string) => {
      realErr(`[folio] ${text.length > MAX ? `${text.slice(0, MAX)}… (${text.length} characters)` : text}\n`);
    },
  };
}
