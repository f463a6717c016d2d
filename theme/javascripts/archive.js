/* The archive's small page enhancements; every page works without them.
 *
 * - Tables: each sits in its own scroll box, so a wide table scrolls inside the page on a
 *   phone instead of breaking its words or the page's width (WCAG 1.4.10). A box that does
 *   scroll is focusable and named, so the keyboard can scroll it too.
 * - Review pages: a "Print this review" button; the print stylesheet does the rest.
 * - Paper: a line saying where the printed page came from.
 */
(function () {
  "use strict";

  function label(table) {
    if (table.caption) return table.caption.textContent.trim();
    var node = table;
    while (node && node !== document.body) {
      var previous = node.previousElementSibling;
      while (previous) {
        if (/^H[2-4]$/.test(previous.tagName)) return previous.textContent.replace(/¶$/, "").trim();
        previous = previous.previousElementSibling;
      }
      node = node.parentElement;
    }
    return "Table";
  }

  function scrolling(box) {
    var scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", box.getAttribute("data-label") + " (table, scrolls sideways)");
      box.setAttribute("data-scrolls", "");
    } else {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
      box.removeAttribute("data-scrolls");
    }
  }

  // Cells of a numeric column align right; a table of a few columns gets each cell's column
  // name (data-label) and explicit roles, so it can be shown as cards on a phone.
  var STACK_UP_TO = 7;

  function describeCells(table) {
    var head = table.tHead && table.tHead.rows[0];
    if (!head) return;
    var names = Array.prototype.map.call(head.cells, function (cell) { return cell.textContent.replace(/[↕↑↓]/g, "").trim(); });
    var numeric = Array.prototype.map.call(head.cells, function (cell) { return cell.getAttribute("data-type") === "number"; });
    var stack = head.cells.length <= STACK_UP_TO && table.tBodies.length > 0;
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        Array.prototype.forEach.call(row.cells, function (cell, i) {
          if (numeric[i]) cell.classList.add("pra-number");
          if (stack && names[i]) cell.setAttribute("data-label", names[i]);
          if (stack) cell.setAttribute("role", cell.tagName === "TH" ? "rowheader" : "cell");
        });
        if (stack) row.setAttribute("role", "row");
      });
      if (stack) body.setAttribute("role", "rowgroup");
    });
    if (!stack) return;
    table.classList.add("pra-stacked");
    table.setAttribute("role", "table");
    table.tHead.setAttribute("role", "rowgroup");
    head.setAttribute("role", "row");
    Array.prototype.forEach.call(head.cells, function (cell) { cell.setAttribute("role", "columnheader"); });
  }

  function boxTables(root) {
    Array.prototype.forEach.call(root.querySelectorAll(".md-typeset table"), describeCells);
    var boxes = [];
    Array.prototype.forEach.call(root.querySelectorAll(".md-typeset table"), function (table) {
      var parent = table.parentElement;
      if (parent.classList.contains("pra-table")) {
        boxes.push(parent);
        return;
      }
      if (parent.classList.contains("md-typeset__table")) {
        parent = parent.parentElement; // Material's own scroll box: name it in the same way
        parent.classList.add("pra-table");
        parent.setAttribute("data-label", label(table));
        boxes.push(parent);
        return;
      }
      var box = document.createElement("div");
      box.className = "pra-table";
      box.setAttribute("data-label", label(table));
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
      boxes.push(box);
    });
    boxes.forEach(scrolling);
    var timer = null;
    window.addEventListener("resize", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { boxes.forEach(scrolling); }, 150);
    });
  }

  function printButton() {
    if (!/\/reviews\/[^/]+\/$/.test(window.location.pathname)) return;
    var facts = document.querySelector(".md-typeset .pra-facts");
    if (!facts) return;
    var paragraph = document.createElement("p");
    paragraph.className = "pra-print";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button";
    button.textContent = "Print this review";
    button.setAttribute("aria-describedby", "pra-print-hint");
    var hint = document.createElement("span");
    hint.id = "pra-print-hint";
    hint.className = "pra-hint";
    hint.textContent = " With its follow-up visits and the council's response, without the site's menus.";
    button.addEventListener("click", function () { window.print(); });
    paragraph.appendChild(button);
    paragraph.appendChild(hint);
    facts.parentNode.insertBefore(paragraph, facts.nextSibling);
  }

  function printNote() {
    var article = document.getElementById("main-content");
    if (!article) return;
    var note = document.createElement("p");
    note.className = "pra-print-note";
    note.textContent = "Peer Review Archive: " + window.location.href.split("#")[0];
    article.insertBefore(note, article.firstChild);
  }

  // On paper a link is its words and then its address (print.css prints data-href), except
  // where the address is the page's own furniture: anchors, breadcrumbs, tables, pictures.
  function printAddresses() {
    var skip = ".pra-breadcrumbs, .pra-contents, table, .pra-figure, .pra-finding__meta, " +
      ".pra-finding__links, .pra-explorer, .headerlink, .pra-permalink, .md-content__button";
    Array.prototype.forEach.call(document.querySelectorAll(".md-typeset a[href]"), function (a) {
      var href = a.getAttribute("href");
      if (!href || href.charAt(0) === "#" || a.closest(skip)) return;
      a.setAttribute("data-href", a.href);
    });
  }

  function init() {
    boxTables(document);
    printAddresses();
    printButton();
    printNote();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
