/** What the kernel says about itself in kernel_info_reply. */
import { PROTOCOL_VERSION, type Replies } from "@folio/protocol/jupyter";

const VERSION: string = (() => {
  try {
    return (require("../package.json") as { version: string }).version;
  } catch {
    return "0.0.0";
  }
})();
const TS_VERSION: string = (() => {
  try {
    return (require("typescript/package.json") as { version: string }).version;
  } catch {
    return "5";
  }
})();

export type KernelInfo = Replies["kernel_info_request"];

export function kernelInfo(): KernelInfo {
  return {
    status: "ok",
    protocol_version: PROTOCOL_VERSION,
    implementation: "folio",
    implementation_version: VERSION,
    language_info: {
      name: "typescript",
      version: TS_VERSION,
      mimetype: "text/typescript",
      file_extension: ".ts",
      pygments_lexer: "typescript",
      codemirror_mode: { name: "javascript", typescript: true },
    },
    banner: `Folio ${VERSION}: type-checked TypeScript ${TS_VERSION} on Node ${process.version}`,
    help_links: [
      { text: "TypeScript handbook", url: "https://www.typescriptlang.org/docs/handbook/intro.html" },
      { text: "Node.js API", url: "https://nodejs.org/api/" },
    ],
    debugger: false,
    supported_features: ["iopub_welcome"],
  };
}
