// Folio's JupyterLab (≥ 3; also Notebook 7) prebuilt extension, written by hand in the module-federation
// container shape JupyterLab loads (`_JUPYTERLAB[name] = { init(shareScope), get(module) }`), so it needs no
// webpack build: a MIME renderer for `application/vnd.plotly.v1+json` that draws with the plotly.min.js
// installed beside this file. Its widget class extends the host's own @lumino/widgets (a shared singleton in
// JupyterLab), so nothing of Lumino is bundled. `folio kernel install` copies it to
// <data dir>/labextensions/@folio/jupyterlab/static/.
var _JUPYTERLAB;
(function () {
  "use strict";
  var NAME = "@folio/jupyterlab";
  var MIME = "application/vnd.plotly.v1+json";
  var script = document.currentScript;
  var base = script && script.src ? script.src.replace(/[?#].*$/, "").replace(/[^/]*$/, "") : "";
  var shareScope = null;

  // "2.10.0" > "2.9.1": compare dotted versions numerically
  function newer(a, b) {
    var x = a.split(/[.+-]/), y = b.split(/[.+-]/);
    for (var i = 0; i < Math.max(x.length, y.length); i++) {
      var p = parseInt(x[i] || "0", 10), q = parseInt(y[i] || "0", 10);
      if (p !== q) return p > q;
    }
    return false;
  }

  // The host's copy of a shared module: the highest version in the share scope, as webpack's singleton does.
  function shared(name) {
    var versions = shareScope && shareScope[name];
    if (!versions || !Object.keys(versions).length) return Promise.reject(new Error(NAME + ": the host shares no " + name));
    var best = Object.keys(versions).reduce(function (a, b) { return newer(b, a) ? b : a; });
    var entry = versions[best];
    entry.loaded = 1;
    return Promise.resolve(entry.get()).then(function (factory) { return factory(); });
  }

  // plotly.js as a CommonJS module (its UMD wrapper then ignores any AMD `define` another extension installed).
  var plotly = null;
  function loadPlotly() {
    if (!plotly) {
      var url = base + "plotly.min.js";
      plotly = fetch(url).then(function (r) {
        if (!r.ok) throw new Error(url + ": HTTP " + r.status);
        return r.text();
      }).then(function (src) {
        var module = { exports: {} };
        new Function("module", "exports", src + "\n//# sourceURL=" + url)(module, module.exports);
        return module.exports;
      });
      plotly.catch(function () { plotly = null; });
    }
    return plotly;
  }

  function mimeExtension(widgets) {
    class RenderedPlotly extends widgets.Widget {
      constructor(options) {
        super();
        this.addClass("folio-plotly");
        this._mimeType = options.mimeType;
        this._drawn = null;
      }

      renderModel(model) {
        // plotly.js adds its own keys to what it draws: keep the notebook's data (saved later) untouched
        var fig = JSON.parse(JSON.stringify(model.data[this._mimeType] || {}));
        var node = this.node;
        var config = Object.assign({ responsive: true, displaylogo: false }, fig.config || {});
        var self = this;
        return loadPlotly().then(function (Plotly) {
          return Plotly.react(node, fig.data || [], fig.layout || {}, config).then(function () { self._drawn = Plotly; });
        }).catch(function (e) {
          node.textContent = "This figure could not be drawn: " + e;
        });
      }

      onResize() { if (this._drawn && this.isVisible) this._drawn.Plots.resize(this.node); }
      onAfterShow() { if (this._drawn) this._drawn.Plots.resize(this.node); }
      dispose() {
        if (this.isDisposed) return;
        if (this._drawn) this._drawn.purge(this.node);
        super.dispose();
      }
    }

    var extension = {
      id: NAME + ":plotly",
      description: "Draws plotly figures with a local plotly.js.",
      // safe: it runs no code from the notebook, only plotly.js on JSON data, so untrusted (stored) outputs draw
      rendererFactory: { safe: true, mimeTypes: [MIME], defaultRank: 2, createRenderer: function (options) { return new RenderedPlotly(options); } },
      rank: 2,
      dataType: "json",
    };
    return { __esModule: true, default: [extension] };
  }

  var modules = {
    "./mimeExtension": function () {
      return shared("@lumino/widgets").then(function (widgets) {
        var m = mimeExtension(widgets);
        return function () { return m; };
      });
    },
  };

  _JUPYTERLAB = _JUPYTERLAB === undefined ? {} : _JUPYTERLAB;
  _JUPYTERLAB[NAME] = {
    init: function (scope) { shareScope = scope; },
    get: function (module) {
      var load = modules[module];
      return load ? load() : Promise.reject(new Error('Module "' + module + '" does not exist in container ' + NAME));
    },
  };
})();
