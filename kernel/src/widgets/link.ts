/**
 * `link(a, b)`: keeps two attributes equal through the kernel, both ways (traitlets' `link`): `b` takes `a`'s
 * value at once, and a change to either (from the kernel or a front end) is copied to the other, running its
 * observers. A widget alone stands for its `value`. For a link kept in the front end only, see `jslink`.
 */
import { JsLink } from "./controls";
import { isWidget, type AnyWidget } from "./widget";

export type End = AnyWidget | readonly [AnyWidget, string];
const pair = (e: End): [AnyWidget, string] => (isWidget(e) ? [e, "value"] : [e[0], e[1]]);

/** Links two attributes; returns a function that unlinks them. */
export function link(a: End, b: End): () => void {
  const [wa, na] = pair(a),
    [wb, nb] = pair(b);
  let copying = false;
  const copy = (from: AnyWidget, fn: string, to: AnyWidget, tn: string) => () => {
    if (copying) return;
    copying = true;
    try {
      to.set({ [tn]: from.get(fn) });
    } finally {
      copying = false;
    }
  };
  copy(wa, na, wb, nb)();
  const offs = [wa.observe(na, copy(wa, na, wb, nb)), wb.observe(nb, copy(wb, nb, wa, na))];
  return () => offs.forEach((off) => off());
}

/** Links two attributes in the front end (a LinkModel): it keeps working in a saved notebook with no kernel. */
export function jslink(a: End, b: End): JsLink {
  return new JsLink(pair(a), pair(b));
}

/** One-way front-end link from `a` to `b` (a DirectionalLinkModel). */
export function jsdlink(a: End, b: End): JsLink {
  return new JsLink(pair(a), pair(b), true);
}
