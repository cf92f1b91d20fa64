/**
 * `npm run bench:train`: time of one SGD training step of an MLP 784-512-512-10 (batch 128, softmax
 * cross-entropy) on every tfjs backend available here, each in its own process, and in PyTorch when
 * `/usr/bin/python3 -c "import torch"` works. Prints one table with ratios to PyTorch.
 * Not a test: the numbers depend on the machine and on its load (the load average is printed with them).
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { initBackend, tf } from "@folio/lib/tensor";
import { rng } from "@folio/lib/rng";

const SIZES = [784, 512, 512, 10],
  BATCH = 128,
  LR = 0.01;
const CONFIGS = [
  "wasm-patched",
  "wasm-patched-shared-identity",
  "wasm-matmul-floor",
  "wasm-stock",
  "cpu",
  "tensorflow",
] as const;
type Config = (typeof CONFIGS)[number];
interface Result {
  name: string;
  msPerStep?: number;
  cpuMsPerStep?: number;
  steps?: number;
  note?: string;
}

async function child(config: Config): Promise<Result> {
  if (config === "wasm-stock") {
    // the wasm backend with tfjs's own BatchMatMul gradient (transposeA/transposeB matMuls)
    const wasm = require("@tensorflow/tfjs-backend-wasm") as typeof import("@tensorflow/tfjs-backend-wasm");
    wasm.setWasmPaths(
      path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm")) + path.sep,
    );
    if (!(await tf.setBackend("wasm"))) throw new Error("wasm backend failed to initialise");
    await tf.ready();
  } else {
    if (config === "tensorflow") {
      try {
        require.resolve("@tensorflow/tfjs-node");
      } catch {
        throw new Error(
          "@tensorflow/tfjs-node is not installed (an optional dependency: its install script downloads libtensorflow)",
        );
      }
    }
    const prefer = config.startsWith("wasm") ? "wasm" : (config as "cpu" | "tensorflow");
    const got = await initBackend({ prefer, quiet: true });
    if (got !== prefer) throw new Error(`backend ${prefer} unavailable`);
    if (config === "wasm-patched-shared-identity") {
      // experiment: tfjs clones every tensor it saves for the backward pass, and the wasm Identity kernel copies
      // the buffer; sharing it (as the cpu backend and wasm's own Reshape do) removes those copies
      type WasmBackend = { incRef(id: object): void };
      tf.unregisterKernel(tf.Identity, "wasm");
      tf.registerKernel({
        kernelName: tf.Identity,
        backendName: "wasm",
        kernelFunc: (({ inputs, backend }: { inputs: { x: tf.TensorInfo }; backend: WasmBackend }) => {
          backend.incRef(inputs.x.dataId);
          return { dataId: inputs.x.dataId, shape: inputs.x.shape, dtype: inputs.x.dtype };
        }) as unknown as tf.KernelFunc,
      });
    }
  }
  const r = rng(0);
  const params = SIZES.slice(1).flatMap((n, i) => [
    tf.variable(tf.tensor2d(r.normalArray(SIZES[i] * n, 0, Math.sqrt(2 / SIZES[i])), [SIZES[i], n])),
    tf.variable(tf.zeros([n])),
  ]);
  const x = tf.tensor2d(r.uniformArray(BATCH * SIZES[0]), [BATCH, SIZES[0]]);
  const labels = Int32Array.from({ length: BATCH }, () => r.int(10));
  const Y = tf.oneHot(tf.tensor1d(labels, "int32"), 10).toFloat();
  const opt = tf.train.sgd(LR);
  const step = () => {
    const loss = opt.minimize(() => {
      let h: tf.Tensor = x;
      for (let l = 0; l < params.length; l += 2) {
        h = tf.add(tf.matMul(h, params[l]), params[l + 1]);
        if (l < params.length - 2) h = tf.relu(h);
      }
      return tf.mean(tf.sub(tf.logSumExp(h, -1), tf.sum(tf.mul(h, Y), -1))) as tf.Scalar;
    }, true);
    loss!.dataSync(); // wait for the step to finish
    loss!.dispose();
  };
  if (config === "wasm-matmul-floor") {
    // only the step's matrix products (forward Z = XW, backward dW = XᵀdZ and dX = dZ Wᵀ except for the input
    // layer), on pre-transposed operands: the time no tfjs step on this backend can beat
    const mats: [tf.Tensor2D, tf.Tensor2D][] = [];
    for (let l = 0; l < SIZES.length - 1; l++) {
      const [i, o] = [SIZES[l], SIZES[l + 1]];
      mats.push([tf.randomNormal([BATCH, i], 0, 1, "float32", 1), tf.randomNormal([i, o], 0, 1, "float32", 2)]); // forward
      mats.push([tf.randomNormal([i, BATCH], 0, 1, "float32", 3), tf.randomNormal([BATCH, o], 0, 1, "float32", 4)]); // dW
      if (l > 0)
        mats.push([tf.randomNormal([BATCH, o], 0, 1, "float32", 5), tf.randomNormal([o, i], 0, 1, "float32", 6)]); // dX
    }
    const products = () => {
      const outs = mats.map(([a, b]) => tf.matMul(a, b));
      outs[outs.length - 1].dataSync();
      tf.dispose(outs);
    };
    for (let i = 0; i < 3; i++) products();
    const t0 = performance.now(),
      c0 = process.cpuUsage();
    let n = 0;
    while (n < 3 || (performance.now() - t0 < 3000 && n < 500)) {
      products();
      n++;
    }
    const c = process.cpuUsage(c0);
    return {
      name: config,
      msPerStep: (performance.now() - t0) / n,
      cpuMsPerStep: (c.user + c.system) / 1000 / n,
      steps: n,
    };
  }
  for (let i = 0; i < 3; i++) step();
  // run for about 3 seconds of steps (at least 3)
  const t0 = performance.now(),
    c0 = process.cpuUsage();
  let n = 0;
  while (n < 3 || (performance.now() - t0 < 3000 && n < 200)) {
    step();
    n++;
  }
  const c = process.cpuUsage(c0);
  return {
    name: config,
    msPerStep: (performance.now() - t0) / n,
    cpuMsPerStep: (c.user + c.system) / 1000 / n,
    steps: n,
  };
}

function pytorch(threads: number): Result {
  const name = `pytorch (${threads} thread${threads > 1 ? "s" : ""})`;
  const script = `
import time, torch
torch.manual_seed(0); torch.set_num_threads(${threads})
sizes = ${JSON.stringify(SIZES)}
layers = []
for i in range(len(sizes) - 1):
    layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
    if i < len(sizes) - 2: layers.append(torch.nn.ReLU())
net = torch.nn.Sequential(*layers)
opt = torch.optim.SGD(net.parameters(), lr=${LR})
x = torch.rand(${BATCH}, sizes[0]); y = torch.randint(0, 10, (${BATCH},))
lossf = torch.nn.CrossEntropyLoss()
def step():
    opt.zero_grad(); loss = lossf(net(x), y); loss.backward(); opt.step(); return loss.item()
for _ in range(3): step()
t0 = time.perf_counter(); c0 = time.process_time(); n = 0
while n < 3 or (time.perf_counter() - t0 < 3 and n < 500):
    step(); n += 1
print((time.perf_counter() - t0) * 1000 / n, (time.process_time() - c0) * 1000 / n, n, torch.__version__)
`;
  try {
    // BLAS threads follow torch's, or OpenBLAS would add its own threads to the "1 thread" run
    const env = {
      ...process.env,
      OMP_NUM_THREADS: String(threads),
      OPENBLAS_NUM_THREADS: String(threads),
      MKL_NUM_THREADS: String(threads),
    };
    const out = execFileSync("/usr/bin/python3", ["-c", script], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env,
    })
      .trim()
      .split(/\s+/);
    return {
      name,
      msPerStep: Number(out[0]),
      cpuMsPerStep: Number(out[1]),
      steps: Number(out[2]),
      note: `torch ${out[3]}, ${out[2]} steps timed`,
    };
  } catch (e) {
    return { name, note: `failed: ${(e as Error).message.split("\n")[0]}` };
  }
}

async function main() {
  const arg = process.argv.indexOf("--child");
  if (arg >= 0) {
    const config = process.argv[arg + 1] as Config;
    try {
      process.stdout.write(`${JSON.stringify(await child(config))}\n`);
    } catch (e) {
      process.stdout.write(
        `${JSON.stringify({ name: config, note: `unavailable: ${(e as Error).message.split("\n")[0]}` })}\n`,
      );
    }
    return;
  }
  console.log(`MLP ${SIZES.join("-")}, batch ${BATCH}, SGD, one training step (forward, backward, update)`);
  console.log(
    `${os.cpus().length} cores, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}, node ${process.version}`,
  );
  const results: Result[] = [];
  for (const c of CONFIGS) {
    const res = spawnSync(process.execPath, ["--import", "tsx", __filename, "--child", c], {
      encoding: "utf8",
      env: { ...process.env, FOLIO_BACKEND: "" },
    });
    const line = res.stdout
      .trim()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .pop();
    results.push(
      line ? (JSON.parse(line) as Result) : { name: c, note: `crashed: ${res.stderr.trim().split("\n").pop()}` },
    );
  }
  let hasTorch = false;
  try {
    execFileSync("/usr/bin/python3", ["-c", "import torch"], { stdio: "ignore" });
    hasTorch = true;
  } catch {
    /* not installed */
  }
  if (hasTorch) results.push(pytorch(os.cpus().length), pytorch(1));
  else
    results.push({
      name: "pytorch",
      note: "not available (/usr/bin/python3 -c 'import torch' fails; Debian package python3-torch)",
    });
  // ratios use wall time against single-threaded PyTorch: the wasm backend runs on one thread in Node
  const ref = results.find((r) => r.name === "pytorch (1 thread)" && r.msPerStep !== undefined);
  const patched = results.find((r) => r.name === "wasm-patched")?.msPerStep;
  const ms = (v?: number) => (v !== undefined ? v.toFixed(1) : "—");
  const rows = results.map((r) => [
    r.name,
    ms(r.msPerStep),
    ms(r.cpuMsPerStep),
    r.msPerStep !== undefined && ref?.msPerStep ? `${(r.msPerStep / ref.msPerStep).toFixed(2)}x` : "—",
    r.cpuMsPerStep !== undefined && ref?.cpuMsPerStep ? `${(r.cpuMsPerStep / ref.cpuMsPerStep).toFixed(2)}x` : "—",
    r.msPerStep !== undefined && patched ? `${(r.msPerStep / patched).toFixed(2)}x` : "—",
    r.note ?? (r.steps !== undefined ? `${r.steps} steps timed` : ""),
  ]);
  const head = [
    "backend",
    "wall ms/step",
    "CPU ms/step",
    "wall vs torch 1T",
    "CPU vs torch 1T",
    "wall vs wasm-patched",
    "note",
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmtRow = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  console.log([fmtRow(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(fmtRow)].join("\n"));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
