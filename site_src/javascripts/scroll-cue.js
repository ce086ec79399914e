/*
 * gradbook: say where a formula, a table or a code block is wider than its box.
 *
 * A display formula (div.arithmatex), a table (in Material's .md-typeset__scrollwrap) or a code
 * block (pre > code) wider than the text column scrolls sideways in its box. On a phone nothing else shows that part of
 * it is hidden, so this script sets data-gb-overflow on each such box to the sides where its
 * content is cut: "right", "left" or "both" ("" when it fits), and gradbook.css fades those
 * sides out.
 *
 * It marks the boxes after every page Material shows (document$, after katex-init.js has
 * rendered the math), once the fonts have loaded, when a box changes size (a rotated phone, a
 * <details> opened) and as a box is scrolled.
 *
 * List it after katex-init.js in extra_javascript, so that it subscribes after it.
 */
(function () {
  "use strict";

  var BOXES = ".md-typeset div.arithmatex, .md-typeset .md-typeset__scrollwrap, .md-typeset pre > code";

  var resized =
    typeof window.ResizeObserver === "function"
      ? new window.ResizeObserver(function (entries) {
          entries.forEach(function (entry) {
            mark(entry.target);
          });
        })
      : null;

  // The sides of the box where content is cut, as data-gb-overflow.
  function mark(box) {
    var hidden = box.scrollWidth - box.clientWidth;
    var state = "";
    if (hidden > 1) {
      var left = box.scrollLeft > 1;
      var right = box.scrollLeft < hidden - 1;
      state = left && right ? "both" : left ? "left" : "right";
    }
    if (box.getAttribute("data-gb-overflow") !== state) {
      box.setAttribute("data-gb-overflow", state);
    }
  }

  function onScroll(event) {
    mark(event.currentTarget);
  }

  function watch(root) {
    var boxes = Array.prototype.slice.call((root || document).querySelectorAll(BOXES));
    if (resized) {
      resized.disconnect(); // the boxes of the page before an instant navigation are gone
    }
    boxes.forEach(function (box) {
      mark(box);
      box.addEventListener("scroll", onScroll, { passive: true });
      if (resized) {
        resized.observe(box);
      }
    });
    if (document.fonts && document.fonts.ready) {
      document.fonts.ready.then(function () {
        boxes.forEach(mark);
      });
    }
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(function (doc) {
      watch(doc && doc.body);
    });
  } else {
    window.addEventListener("load", function () {
      watch(document.body);
    });
  }
})();
