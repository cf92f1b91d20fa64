import * as net from "node:net";

/** A free TCP port on 127.0.0.1 (the OS's choice; closed again before it is returned, so a test binds it next). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net
      .createServer()
      .listen(0, "127.0.0.1", () => {
        const port = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(port));
      })
      .on("error", reject);
  });
}
