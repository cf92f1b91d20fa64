/**
 * Connection files as a client writes them (five free loopback ports and a fresh signing key, as `jupyter_client`
 * does); the file's type and the endpoints come from `@folio/protocol/jupyter`.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import type { ConnectionInfo } from "@folio/protocol/jupyter";

export { endpoint, type ConnectionInfo } from "@folio/protocol/jupyter";

/** Asks the OS for `n` distinct free TCP ports on 127.0.0.1 (held open together so they differ). */
export async function freePorts(n: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < n; i++) {
      const s = net.createServer();
      servers.push(s);
      await new Promise<void>((res, rej) => {
        s.once("error", rej);
        s.listen(0, "127.0.0.1", () => res());
      });
      ports.push((s.address() as net.AddressInfo).port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((res) => s.close(() => res()))));
  }
}

/** A new connection description with random ports and a random 256-bit key. */
export async function newConnection(kernelName?: string): Promise<ConnectionInfo> {
  const [shell_port, iopub_port, stdin_port, control_port, hb_port] = await freePorts(5);
  return {
    transport: "tcp",
    ip: "127.0.0.1",
    shell_port,
    iopub_port,
    stdin_port,
    control_port,
    hb_port,
    key: randomBytes(32).toString("hex"),
    signature_scheme: "hmac-sha256",
    ...(kernelName ? { kernel_name: kernelName } : {}),
  };
}

/** Writes the connection file (mode 0600: it holds the key) into a private temporary directory. */
export function writeConnectionFile(info: ConnectionInfo): { file: string; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "folio-kernel-"));
  const file = path.join(dir, "kernel.json");
  fs.writeFileSync(file, JSON.stringify(info, null, 1), { mode: 0o600 });
  return { file, dir };
}
