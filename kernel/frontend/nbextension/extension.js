// Folio's classic Notebook (6.x) extension: draws `application/vnd.plotly.v1+json` outputs with the plotly.js
// installed beside this file, so stored figures draw in a notebook opened without running it (untrusted: the
// renderer is registered as safe, since it runs no code from the notebook, only plotly.js on JSON data) and with
// no network. `folio kernel install` copies it to <data dir>/nbextensions/folio/ and enables it in
// <config dir>/nbconfig/notebook.d/folio.json.
define(["base/js/namespace", "notebook/js/outputarea"], function (Jupyter, outputarea) {
  "use strict";
  var MIME = "application/vnd.plotly.v1+json";
  var CLASS = "output_folio_plotly";

  function draw(div, figure) {
    // plotly.js adds its own keys to the objects it draws: keep the notebook's copy (saved later) untouched
    var fig = JSON.parse(JSON.stringify(figure || {}));
    var config = Object.assign({ responsive: true, displaylogo: false }, fig.config || {});
    requirejs(
      ["nbextensions/folio/plotly.min"],
      function (amd) {
        var Plotly = amd || window.Plotly; // plotly.js ≥ 3 defines no AMD module: it sets window.Plotly
        Plotly.newPlot(div, fig.data || [], fig.layout || {}, config).catch(function (e) {
          div.textContent = "This figure could not be drawn: " + e;
        });
      },
      function (e) {
        div.textContent =
          "plotly.js did not load from nbextensions/folio/ (run `npx folio kernel install` again): " + e;
      }
    );
  }

  // OutputArea's renderer contract: `this` is the output area; return the inserted subarea.
  function append(figure, md, element) {
    var sub = this.create_output_subarea(md, CLASS, MIME);
    var div = document.createElement("div");
    div.className = "folio-plotly";
    sub.append(div);
    element.append(sub);
    draw(div, figure);
    return sub;
  }

  // Cells the notebook drew before this extension loaded showed the figure's text/plain: draw those again.
  function redrawLoaded() {
    if (!Jupyter.notebook || !Jupyter.notebook.get_cells) return;
    var dirty = Jupyter.notebook.dirty;
    Jupyter.notebook.get_cells().forEach(function (cell) {
      var area = cell.output_area;
      if (
        !area
        || !area.outputs.some(function (o) {
          return o.data && o.data[MIME] !== undefined;
        })
      )
        return;
      if (area.element.find("." + CLASS).length) return;
      var outputs = area.toJSON(),
        trusted = area.trusted;
      area.clear_output(false, true);
      area.trusted = trusted; // clear_output marks an area trusted; a stored notebook's outputs are not
      area.fromJSON(outputs, cell.metadata);
    });
    Jupyter.notebook.set_dirty(dirty);
  }

  function load_ipython_extension() {
    var OutputArea = outputarea.OutputArea;
    if (!OutputArea.append_map[MIME]) OutputArea.prototype.register_mime_type(MIME, append, { safe: true, index: 0 });
    redrawLoaded();
  }

  return { load_ipython_extension: load_ipython_extension };
});
