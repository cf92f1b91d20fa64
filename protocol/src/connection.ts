/**
 * The connection file a Jupyter client writes for a kernel (jupyter_client's `write_connection_file`): transport,
 * address, the five ports and the signing key. Both transports jupyter_client knows: `tcp` (`ip` is an address)
 * and `ipc` (`ip` is a path prefix; channel N listens on the Unix socket `<ip>-<port>`).
 */
import { readFileSync } from "node:fs";
import * as shape from "./shape";

export type ChannelName = "shell" | "iopub" | "stdin" | "control" | "hb";

const port = shape.refine(shape.integer, "a port number (0-65535)", (p) => p >= 0 && p <= 65535);

const CONNECTION = shape.object({
  transport: shape.optional(shape.literal("tcp", "ipc")),
  ip: shape.string,
  shell_port: port,
  iopub_port: port,
  stdin_port: port,
  control_port: port,
  hb_port: port,
  key: shape.optional(shape.string),
  signature_scheme: shape.optional(shape.string),
  kernel_name: shape.optional(shape.string),
});

export interface ConnectionInfo extends Omit<shape.Infer<typeof CONNECTION>, "transport" | "key" | "signature_scheme"> {
  transport: "tcp" | "ipc";
  /** "" for unsigned messages. */
  key: string;
  signature_scheme: "hmac-sha256";
}

/** A connection file's JSON, checked: defaults as jupyter_client's (`tcp`, no key); only hmac-sha256 signing. */
export function parseConnectionInfo(json: unknown): shape.Parsed<ConnectionInfo> {
  const r = CONNECTION.parse(json);
  if (!r.ok) return { ok: false, reason: `connection file: ${r.reason}` };
  const { transport = "tcp", key = "", signature_scheme = "hmac-sha256", ...rest } = r.value;
  if (key && signature_scheme !== "hmac-sha256")
    return {
      ok: false,
      reason: `connection file: unsupported signature scheme ${JSON.stringify(signature_scheme)} (only hmac-sha256)`,
    };
  return { ok: true, value: { ...rest, transport, key, signature_scheme: "hmac-sha256" } };
}

/** Reads and checks a connection file; a missing or malformed file is a failure naming the file. */
export function readConnectionFile(file: string): shape.Parsed<ConnectionInfo> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    return { ok: false, reason: `cannot read connection file ${file}: ${(e as Error).message}` };
  }
  const r = parseConnectionInfo(json);
  return r.ok ? r : { ok: false, reason: `${file}: ${r.reason}` };
}

/** The ZeroMQ endpoint of one channel, as jupyter_client forms it. */
export function endpoint(
  info: Pick<ConnectionInfo, "transport" | "ip" | `${ChannelName}_port`>,
  channel: ChannelName,
): string {
  const p = info[`${channel}_port`];
  return info.transport === "ipc" ? `ipc://${info.ip}-${p}` : `tcp://${info.ip}:${p}`;
}
