/*
 * gradbook: render math with the vendored KaTeX (assets/vendor/katex/).
 *
 * pymdownx.arithmatex (generic: true) wraps every formula in an element with class
 * "arithmatex" and writes it as \( ... \) (inline) or \[ ... \] (display). We render
 * exactly those two delimiter pairs, nothing else ($ or $$ in prose stay text).
 *
 * Material's `document$` emits once on first load and again after each instant
 * navigation, so math on pages reached by clicking a nav link is rendered too.
 *
 * For tests and debugging, after each render pass <body> carries:
 *   data-math-errors   number of formulas KaTeX refused (should be "0")
 *   data-math-page     location.pathname the pass ran for
 *   data-math-renders  how many passes have run in this document
 *
 * This file must be listed before katex.min.js in extra_javascript: it only subscribes,
 * and by the time document$ emits the KaTeX scripts have been loaded.
 */
(function () {
  "use strict";

  var DELIMITERS = [
    { left: "\\(", right: "\\)", display: false },
    { left: "\\[", right: "\\]", display: true },
  ];

  var passes = 0;

  function renderMath(root) {
    var body = document.body;
    var failed = 0;

    if (typeof window.renderMathInElement !== "function") {
      // KaTeX did not load: make that loud instead of leaving raw TeX silently.
      failed = -1;
      console.error("gradbook: KaTeX auto-render is not loaded; math left unrendered");
    } else {
      window.renderMathInElement(root || body, {
        delimiters: DELIMITERS,
        throwOnError: true,
        errorCallback: function (message, error) {
          failed += 1;
          console.error("gradbook: KaTeX could not render a formula:", message, error);
        },
      });
    }

    passes += 1;
    body.dataset.mathErrors = String(failed);
    body.dataset.mathPage = window.location.pathname;
    body.dataset.mathRenders = String(passes);
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(function (doc) {
      renderMath(doc && doc.body);
    });
  } else {
    // Not under Material (or its bundle failed): render once the page has loaded.
    window.addEventListener("DOMContentLoaded", function () {
      renderMath(document.body);
    });
  }
})();
