import assert from "node:assert/strict";
import { randEquation, einsumSymbol, NumpyLegacyStream } from "./randeq";
import { toEinsum } from "./network";

/**
 * Equations printed by opt_einsum 3.4 (`from opt_einsum.testing import rand_equation`, numpy 2.4) for these
 * arguments; the first is also the example in rand_equation's own docstring. Data, not code: the port must
 * reproduce them character for character.
 */
const OPT_EINSUM: { args: [number, number, number, number, number, number]; eq: string; shapes?: number[][] }[] = [
  {
    args: [10, 4, 5, 2, 9, 42],
    eq: "oyeqn,tmaq,skpo,vg,hxui,n,fwxmr,hitplcj,kudlgfv,rywjsb->cebda",
    shapes: [
      [9, 5, 4, 5, 4],
      [4, 4, 8, 5],
      [9, 4, 6, 9],
      [6, 6],
      [6, 9, 7, 8],
      [4],
      [9, 3, 9, 4, 9],
      [6, 8, 4, 6, 8, 6, 3],
      [4, 7, 8, 8, 6, 9, 6],
      [9, 5, 3, 3, 9, 5],
    ],
  },
  {
    args: [10, 3, 2, 2, 4, 0],
    eq: "pnh,gciq,gh,mln,coik,pbmd,ef,jqf,oel,dajk->ba",
    shapes: [
      [2, 4, 4],
      [2, 2, 2, 3],
      [2, 4],
      [3, 4, 4],
      [2, 4, 2, 2],
      [2, 3, 3, 3],
      [3, 4],
      [2, 3, 4],
      [4, 3, 4],
      [3, 2, 2, 2],
    ],
  },
  { args: [10, 3, 2, 2, 4, 42], eq: "hi,gcflpm,pk,einb,jf,oqad,oe,nmj,qd,khclg->ab" },
  { args: [18, 3, 2, 2, 4, 1], eq: "gckBC,nrfh,zjm,Ci,vex,p,mkw,thcAa,pd,yv,dBfb,goul,zler,tyAxqn,iu,o,sw,qsj->ba" },
  {
    args: [24, 4, 2, 2, 4, 123456789],
    eq: "NPTgny,UFHlT,OhpE,rmxfQz,PRW,Jsf,EId,gjqV,qcNk,uS,psoi,tL,OBz,hwRQJ,DwcFM,SVyXrBK,nvo,Ga,lHimIx,eju,LU,GbDektC,dKWA,XCAMv->ab",
  },
  {
    args: [28, 4, 2, 2, 4, 2],
    eq: "wTj,mÀ,xAF,ze,hYqkZ,cgWpotuU,eiGlkZP,dYÂGCr,IsKJS,ÁyDÀ,c,LÂ,uBav,rÅ,ÃÅt,hÁqBNf,vER,VQOL,RpjM,dPAXUlK,nzmo,OMVibQw,NyEf,DW,nHÃF,IÄJ,CxTSs,ÄXHg->ab",
  },
  { args: [7, 2, 0, 3, 3, 5], eq: "ca,ae,d,bg,fcd,geb,f->" },
];

describe("tensornet/randeq: opt_einsum's rand_equation, bit for bit", () => {
  for (const {
    args: [n, reg, nOut, dMin, dMax, seed],
    eq,
    shapes,
  } of OPT_EINSUM) {
    it(`rand_equation(${n}, ${reg}, n_out=${nOut}, d_min=${dMin}, d_max=${dMax}, seed=${seed})`, () => {
      const r = randEquation(n, reg, { nOut, dMin, dMax, seed });
      assert.equal(r.eq, eq);
      if (shapes)
        assert.deepEqual(
          r.net.inputs.map((op) => op.map((e) => r.net.size[e])),
          shapes,
        );
      assert.equal(r.net.inputs.length, n);
    });
  }
  it("numpy's MT19937: the first words after seed(5489) are the reference implementation's", () => {
    // mt19937ar.c with init_genrand(5489) starts 3499211612, 581869302, 3890346734 (the C++ std::mt19937 default)
    const s = new NumpyLegacyStream(5489);
    assert.deepEqual([s.next32(), s.next32(), s.next32()], [3499211612, 581869302, 3890346734]);
    assert.throws(() => new NumpyLegacyStream(-1), /integers in \[0, 2\^32 - 1\]/);
  });
  it("names indices as opt_einsum's get_symbol: a–z, A–Z, then chr(i + 140)", () => {
    assert.deepEqual([0, 25, 26, 51, 52, 53].map(einsumSymbol), ["a", "z", "A", "Z", "À", "Á"]);
    assert.equal(toEinsum(randEquation(3, 2, { seed: 0 }).net).split("->").length, 2);
  });
});
