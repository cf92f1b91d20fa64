/**
 * A seeded protocol fuzzer (issue 19.8): thousands of mutated messages, signed and unsigned, on shell and control,
 * against the real kernel over real ZeroMQ, interleaved with real executes that count. After each batch the kernel
 * must be alive (process and heartbeat), answer an execute with the expected value, and have kept its state: the
 * counter equals the number of counting executes it said it ran.
 *
 * Mutations: frames dropped, duplicated (replays), truncated, inserted, reordered; the delimiter lost; JSON that
 * does not parse; the header, parent header, metadata or content replaced by another JSON type; fields deleted,
 * given the wrong type, huge (100 kB-1 MB) or deeply nested (2000 levels); unknown and prototype-named message
 * types; cursors out of range; bad or missing signatures. Never a valid shutdown or interrupt (they would do
 * their job). FOLIO_FUZZ_SEED and FOLIO_FUZZ_MESSAGES change the seed and the count.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import * as path from "node:path";
import { TestKernel, ofType, type Msg } from "./client";

const SEED = Number(process.env.FOLIO_FUZZ_SEED ?? 20250419);
const MESSAGES = Number(process.env.FOLIO_FUZZ_MESSAGES ?? 6000);
const BATCH = 200;
const FIXTURES = path.resolve(__dirname, "fixtures");

/** mulberry32: a small seeded generator, so that a failing run can be replayed with its seed. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof generator>;

/** Code that may fail but can neither loop, exit nor touch the fuzzer's state (no letters in the garbage). */
const CODE = [
  "1 + 1",
  "'ab'.repeat(3)",
  "[1, 2, 3].map((x) => x * 2)",
  "",
  "}{",
  "undefinedName",
  "throw new Error('fuzz')",
  "await null",
  "const z: string = 5;",
  "Math.",
  "`${1",
  "/* open",
];
const garbage = (r: Rng, n: number) =>
  Array.from({ length: n }, () => r.pick([..."()[]{};,.+-*/%'\"`\\ 0123456789=<>!?:\n\t", "\u{1F600}", "\uD800"])).join(
    "",
  );
const deep = (depth: number) => JSON.parse("[".repeat(depth) + "]".repeat(depth)) as unknown;
const hugeString = (r: Rng) => "x".repeat(r.pick([100_000, 1_000_000]));

/** A JSON value of another type than a field wants. */
function wrong(r: Rng): unknown {
  return r.pick<() => unknown>([
    () => null,
    () => true,
    () => r.int(2 ** 31) - 2 ** 30,
    () => -1,
    () => 1e300,
    () => 1.5,
    () => 2 ** 53 + 2,
    () => "",
    () => garbage(r, 20),
    () => [],
    () => [1, "a", null],
    () => ({}),
    () => ({ nested: { deeper: [1] } }),
    () => hugeString(r),
    () => deep(2000),
    () => "__proto__",
  ])();
}

const SAFE_TYPES = [
  "kernel_info_request",
  "execute_request",
  "complete_request",
  "inspect_request",
  "is_complete_request",
  "history_request",
  "comm_info_request",
  "connect_request",
  "comm_open",
  "comm_msg",
  "comm_close",
] as const;
const ODD_TYPES = [
  "frobnicate_request",
  "execute_reply",
  "status",
  "",
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "debug_request",
  "input_reply",
  "x".repeat(10_000),
];

function content(r: Rng, type: string): Record<string, unknown> {
  const code = r.chance(0.2) ? garbage(r, r.int(60)) : r.pick(CODE);
  const cursor = () => r.pick([0, code.length, r.int(code.length + 1), -1, 1e9, 2 ** 53, 0.5]);
  switch (type) {
    case "execute_request":
      return {
        code,
        silent: r.chance(0.1),
        store_history: r.chance(0.8),
        user_expressions: r.chance(0.2) ? { a: r.pick(CODE), b: garbage(r, 10) } : {},
        allow_stdin: false,
        stop_on_error: r.chance(0.5),
      };
    case "complete_request":
    case "inspect_request":
      return { code, cursor_pos: cursor(), detail_level: r.pick([0, 1, 2, undefined]) };
    case "is_complete_request":
      return { code };
    case "history_request":
      return {
        output: r.chance(0.5),
        raw: true,
        hist_access_type: r.pick(["tail", "range", "search", "all"]),
        n: r.pick([1, 0, -5, 1e9]),
        pattern: r.pick(["*", "?*?*?*?*?*?*?*b", garbage(r, 30)]),
        unique: r.chance(0.5),
        session: r.pick([0, 1, -1, 99]),
        start: r.int(50),
        stop: r.int(50),
      };
    case "comm_open":
      return {
        comm_id: randomUUID(),
        target_name: r.pick(["jupyter.widget", "jupyter.widget.control", "nope", ""]),
        data: r.chance(0.5) ? { state: { _model_name: r.pick(["IntSliderModel", "Nope", ""]) }, buffer_paths: [] } : {},
      };
    case "comm_msg":
    case "comm_close":
      return {
        comm_id: r.pick([randomUUID(), ""]),
        data: r.chance(0.5)
          ? { method: r.pick(["update", "request_state", "custom"]), state: { value: wrong(r) } }
          : {},
      };
    default:
      return {};
  }
}

/** One JSON dict with a mutation: a field deleted, retyped, made huge, an extra field added, or the whole dict replaced. */
function mutateDict(r: Rng, d: unknown): unknown {
  if (typeof d !== "object" || d === null || Array.isArray(d)) return wrong(r);
  const keys = Object.keys(d);
  const k =
    keys.length && r.chance(0.8) ? r.pick(keys) : r.pick(["extra", "__proto__", "constructor", "x".repeat(1000)]);
  switch (r.int(5)) {
    case 0:
      return wrong(r);
    case 1: {
      const c: Record<string, unknown> = { ...d };
      delete c[k];
      return c;
    }
    default:
      return { ...d, [k]: wrong(r) };
  }
}

interface Fuzzed {
  channel: "shell" | "control";
  frames: (string | Buffer)[];
  signed: boolean;
}

/** A mutated message: a valid one of a safe type, then one or two mutations at the JSON or the frame level. */
function fuzzed(r: Rng, k: TestKernel): Fuzzed {
  const channel = r.chance(0.25) ? "control" : "shell";
  let type: string = r.pick(SAFE_TYPES);
  let header: unknown = {
    msg_id: randomUUID(),
    session: k.session,
    username: "fuzz",
    date: new Date().toISOString(),
    msg_type: type,
    version: "5.4",
  };
  let parent: unknown = {};
  let metadata: unknown = {};
  let body: unknown = content(r, type);
  for (let m = 1 + r.int(2); m > 0; m--) {
    const which = r.int(6);
    if (which === 0) header = mutateDict(r, header);
    else if (which === 1) {
      type = r.pick(ODD_TYPES);
      header = { ...(header as object), msg_type: type };
    } else if (which === 2) parent = r.chance(0.5) ? wrong(r) : { msg_id: wrong(r) };
    else if (which === 3) metadata = r.chance(0.5) ? wrong(r) : { deep: deep(2000) };
    else body = mutateDict(r, body);
  }
  const json = [header, parent, metadata, body].map((x) => JSON.stringify(x) ?? "null");
  if (r.chance(0.05)) {
    const j = r.int(4);
    json[j] = json[j].slice(0, r.int(json[j].length));
  }
  const good = r.chance(0.85);
  const signature = good
    ? k.sign(json)
    : r.pick(["", "00", k.sign(json).replace(/^./, (c) => (c === "f" ? "e" : "f")), "not hex"]);
  let frames: (string | Buffer)[] = ["<IDS|MSG>", signature, ...json];
  if (r.chance(0.2)) frames.push(Buffer.from([0, 255, 1]));
  if (r.chance(0.15)) {
    const f = r.int(frames.length);
    switch (r.int(6)) {
      case 0:
        frames.splice(f, 1);
        break;
      case 1:
        frames.splice(f, 0, frames[f]);
        break;
      case 2:
        frames[f] = frames[f].slice(0, r.int(frames[f].length + 1));
        break;
      case 3:
        frames.splice(f, 0, Buffer.from([0xc3, 0x28]));
        break;
      case 4:
        frames = frames.reverse();
        break;
      default:
        frames[0] = "<IDS|MSG";
        break;
    }
  }
  return { channel, frames, signed: good };
}

describe("kernel protocol fuzzer", function () {
  this.timeout(600_000);
  let k: TestKernel;
  before(async () => {
    k = await TestKernel.start({ cwd: FIXTURES });
  });
  after(async () => {
    await k?.stop();
  });

  it(`survives ${MESSAGES} mutated messages interleaved with real executes (seed ${SEED})`, async () => {
    const r = generator(SEED);
    const t0 = Date.now();
    await k.execute("let fuzzCount = 0;\nconst fuzzKept = 'kept';");
    let sent = 0,
      signed = 0,
      replays = 0,
      counted = 0,
      batches = 0;
    const value = (iopub: Msg[]) => ofType(iopub, "execute_result").map((m) => m.content.data["text/plain"])[0];
    while (sent < MESSAGES) {
      const counting: string[] = [];
      for (let i = 0; i < BATCH && sent < MESSAGES; i++, sent++) {
        const f = fuzzed(r, k);
        if (f.signed) signed++;
        void k.sendRaw(f.channel, f.frames).catch(() => undefined);
        if (r.chance(0.03)) {
          void k.sendRaw(f.channel, f.frames).catch(() => undefined);
          replays++;
          sent++;
        }
        if (r.chance(0.02))
          counting.push(
            k.send("shell", "execute_request", {
              code: "fuzzCount += 1;",
              silent: false,
              store_history: true,
              user_expressions: {},
              allow_stdin: false,
              stop_on_error: false,
            }),
          );
      }
      batches++;
      // the real executes of this batch: each ran (ok) or was aborted by an earlier failing fuzz execute
      for (const id of counting) {
        const rep = await k.reply(id, 120_000);
        assert.ok(["ok", "aborted"].includes(rep.content.status), JSON.stringify(rep.content));
        if (rep.content.status === "ok") counted++;
      }
      // everything sent so far has been handled once control and shell have answered after it
      await k.request("control", "kernel_info_request", {}, 60_000);
      await k.request("shell", "kernel_info_request", {}, 120_000);
      assert.equal(k.proc.exitCode, null, `kernel died after batch ${batches}: ${k.stderr.slice(-3000)}`);
      assert.ok(await k.heartbeat(5000), `no heartbeat after batch ${batches}`);
      let check: { reply: Msg; iopub: Msg[] } | undefined;
      for (let attempt = 0; attempt < 3 && check?.reply.content.status !== "ok"; attempt++)
        check = await k.execute("[fuzzCount, fuzzKept, 6 * 7]", {}, 120_000);
      assert.equal(check!.reply.content.status, "ok", JSON.stringify(check!.reply.content));
      assert.equal(value(check!.iopub), `[ ${counted}, 'kept', 42 ]`, `state after batch ${batches}`);
    }
    const dispatched = new Set(
      k.iopubLog
        .filter((m) => m.header.msg_type === "status" && m.content.execution_state === "busy")
        .map((m) => m.parent_header.msg_id),
    ).size;
    if (process.env.FOLIO_FUZZ_LOG) require("node:fs").writeFileSync(process.env.FOLIO_FUZZ_LOG, k.stderr);
    console.log(
      `      fuzz: seed ${SEED}: ${sent} messages tried (${signed} signed, ${sent - signed} unsigned or badly signed, ${replays} replays) in ${batches} batches with ${counted} counting executes; ${dispatched} got busy/idle (the rest were dropped), ${k.answered} replies; ${((Date.now() - t0) / 1000).toFixed(0)} s`,
    );
  });
});
