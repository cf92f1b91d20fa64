/** The connection file Jupyter writes for a kernel (jupyter_client's `write_connection_file`). */
import { readFileSync } from "node:fs";

export interface ConnectionInfo {
  transport: "tcp" | "ipc";
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: string;
  kernel_name?: string;
}

export function readConnectionFile(path: string): ConnectionInfo {
  const info = JSON.parse(readFileSync(path, "utf8")) as ConnectionInfo;
  if (info.signature_scheme && info.signature_scheme !== "hmac-sha256" && info.key) {
    throw new Error(`unsupported signature scheme ${info.signature_scheme} (only hmac-sha256)`);
  }
  return { ...info, transport: info.transport ?? "tcp" };
}

/** The ZeroMQ endpoint of one channel; binds only where the connection file says. */
export function endpoint(info: ConnectionInfo, port: number): string {
  return info.transport === "ipc" ? `ipc://${info.ip}-${port}` : `tcp://${info.ip}:${port}`;
}
