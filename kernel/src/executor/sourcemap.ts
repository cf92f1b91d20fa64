/** Just enough of Source Map v3 to map a generated line:column back to the cell's own line:column. */

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DIGIT = new Map([...B64].map((c, i) => [c, i]));

/** Per generated line, segments [generatedColumn, sourceLine, sourceColumn] (all 0-based), sorted by column. */
export type LineMap = [number, number, number][][];

export function decodeMappings(mappings: string): LineMap {
  const lines: LineMap = [];
  let srcLine = 0,
    srcCol = 0;
  for (const line of mappings.split(";")) {
    const segs: [number, number, number][] = [];
    let genCol = 0;
    for (const seg of line.split(",")) {
      if (!seg) continue;
      const v: number[] = [];
      let value = 0,
        shift = 0;
      for (const ch of seg) {
        const d = DIGIT.get(ch) ?? 0;
        value += (d & 31) << shift;
        if (d & 32) {
          shift += 5;
          continue;
        }
        v.push(value & 1 ? -(value >>> 1) : value >>> 1);
        value = 0;
        shift = 0;
      }
      genCol += v[0];
      if (v.length >= 4) {
        srcLine += v[2];
        srcCol += v[3];
        segs.push([genCol, srcLine, srcCol]);
      }
    }
    lines.push(segs);
  }
  return lines;
}

/** Source position (0-based) of a generated position (0-based), or undefined when unmapped. */
export function lookup(map: LineMap, line: number, col: number): { line: number; col: number } | undefined {
  const segs = map[line];
  if (!segs?.length) return undefined;
  let best = segs[0];
  for (const s of segs) {
    if (s[0] <= col) best = s;
    else break;
  }
  return { line: best[1], col: best[2] };
}

function vlq(n: number): string {
  let v = n < 0 ? (-n << 1) | 1 : n << 1,
    out = "";
  do {
    let d = v & 31;
    v >>>= 5;
    if (v) d |= 32;
    out += B64[d];
  } while (v);
  return out;
}

/** The inverse of `decodeMappings` (one source, index 0): segments per generated line, sorted by column. */
export function encodeMappings(lines: LineMap): string {
  let srcLine = 0,
    srcCol = 0;
  return lines
    .map((segs) => {
      let genCol = 0;
      return segs
        .map(([g, l, c]) => {
          const s = vlq(g - genCol) + vlq(0) + vlq(l - srcLine) + vlq(c - srcCol);
          genCol = g;
          srcLine = l;
          srcCol = c;
          return s;
        })
        .join(",");
    })
    .join(";");
}
