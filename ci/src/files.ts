/**
 * Writing files so that no reader ever sees half of one: the text goes to a temporary sibling of the target,
 * is flushed, gets the target's mode (and owner, where allowed), and is renamed over it. A symlink is written
 * through: its target is replaced and the link stays a link.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** The file a write to `file` lands in: the end of its symlink chain (or `file` itself when it does not exist yet). */
function realTarget(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    /* a new file, or a dangling link: resolve what exists */
  }
  try {
    const link = fs.readlinkSync(file);
    return realTarget(path.resolve(path.dirname(file), link));
  } catch {
    return file;
  }
}

/** Writes `data` to `file` atomically (temporary sibling, fsync, rename), keeping an existing file's mode and owner. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const target = realTarget(file);
  const dir = path.dirname(target);
  fs.mkdirSync(dir, { recursive: true });
  let old: fs.Stats | undefined;
  try {
    old = fs.statSync(target);
  } catch {
    /* new file */
  }
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, "wx", 0o666);
    if (old) {
      fs.fchmodSync(fd, old.mode & 0o7777);
      try {
        fs.fchownSync(fd, old.uid, old.gid);
      } catch {
        /* only root may give a file away: keep ours */
      }
    }
    fs.writeSync(fd, typeof data === "string" ? Buffer.from(data) : data);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, target);
  } catch (e) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** Copies a file atomically; skipped when the destination already has the same size (assets are versioned by package). */
export function copyFileAtomic(src: string, dest: string): void {
  const d = fs.statSync(dest, { throwIfNoEntry: false });
  if (d && d.size === fs.statSync(src).size) return;
  writeFileAtomic(dest, fs.readFileSync(src));
}

const ERRNO_WORDS: Record<string, string> = {
  ENOENT: "no such file or directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EISDIR: "is a directory",
  ENOTDIR: "a part of the path is not a folder",
  ELOOP: "too many symbolic links",
  EMFILE: "too many open files",
  ENAMETOOLONG: "name too long",
};

/** Why a file could not be read or written, in words ("no such file or directory"), from a Node fs error. */
export function fileProblem(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  return (code && ERRNO_WORDS[code]) ?? (code || ((e as Error)?.message ?? String(e)).split("\n")[0]);
}
