/* Site behaviour: the validity notice, the documents' status and the contact directory filter.
 * Plain script, no dependencies. Material's instant navigation swaps pages without a reload,
 * so everything is (re)attached through document$.subscribe, once per page view. */
(function () {
  "use strict";

  /* Today's date in Beijing (the policy's calendar) as YYYY-MM-DD: the reader's clock, read by
   * the browser's own formatter (en-CA writes ISO dates). All wording comes from the build. */
  function beijingToday() {
    return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai" }).format();
  }

  /* The step for today of a list Python wrote: [[from, …], …], oldest first, the first "from"
   * empty. ISO dates compare as strings, so this is the only comparison the page makes. */
  function stepFor(steps, today) {
    var found = steps[0];
    steps.forEach(function (step) { if (step[0] <= today) found = step; });
    return found;
  }

  /* The home page's status line: one sentence per state, worded by the build
   * (sitebuild.sitedata.notice_steps); the page only picks the one for the reader's date. */
  function setupValidity(root) {
    var today = beijingToday();
    root.querySelectorAll("[data-fs-validity]").forEach(function (el) {
      var step = stepFor(JSON.parse(el.getAttribute("data-steps")), today);
      var status = el.querySelector("[data-fs-validity-status]");
      if (status) status.textContent = step[2];
      el.classList.remove("info", "warning", "success");
      el.classList.add(step[1] === "in_force" ? "success" : "warning");
      el.setAttribute("data-state", step[1]);
    });
  }

  /* A document's status (试行中 / 试行期满 / 已修订 / 已废止) in its information block. */
  function setupStatus(root) {
    var today = beijingToday();
    root.querySelectorAll("[data-fs-status]").forEach(function (el) {
      var step = stepFor(JSON.parse(el.getAttribute("data-steps")), today);
      el.textContent = step[2];
      el.setAttribute("data-state", step[1]);
    });
  }

  /* Announcement bar on every page once the trial year is over (its text from the build). */
  function setupAnnounce() {
    var meta = document.querySelector("meta[name=fs-validity]");
    var slot = document.querySelector("[data-fs-announce]");
    if (!meta || !slot) return;
    var end = meta.getAttribute("content").split("/")[1];
    slot.textContent = beijingToday() > end ? slot.getAttribute("data-text") : "";
  }

  /* Contact directory: filter rows by free text and by clause. */
  function normalise(s) { return s.replace(/\s+/g, "").toLowerCase(); }

  function setupDirectory(root) {
    root.querySelectorAll("[data-fs-directory]").forEach(function (dir) {
      var box = dir.querySelector("[data-fs-filter]");
      var input = dir.querySelector("[data-fs-filter-input]");
      var select = dir.querySelector("[data-fs-filter-clause]");
      var status = dir.querySelector("[data-fs-filter-status]");
      var rows = Array.prototype.slice.call(dir.querySelectorAll("[data-fs-row]"));
      box.hidden = false;  /* without JS the filter is useless, so it starts hidden */

      var params = new URLSearchParams(location.search);
      if (params.get("q")) input.value = params.get("q");
      if (params.get("clause")) select.value = params.get("clause");

      function apply() {
        var q = normalise(input.value), clause = select.value, shown = 0;
        rows.forEach(function (row) {
          /* data-clauses: the options this row answers for, written by the build */
          var clauses = (row.getAttribute("data-clauses") || "").split(" ");
          var okClause = !clause || clauses.indexOf(clause) !== -1;
          var okText = !q || normalise(row.textContent).indexOf(q) !== -1;
          var show = okClause && okText;
          row.hidden = !show;
          if (show) shown++;
          row.querySelectorAll("[data-fs-person]").forEach(function (tr) {
            tr.classList.toggle("fs-hit", !!q && normalise(tr.textContent).indexOf(q) !== -1);
          });
        });
        dir.querySelectorAll("table").forEach(function (t) {
          var any = t.querySelector("tbody:not([hidden])");
          t.classList.toggle("fs-empty", !any);
        });
        status.textContent = (q || clause) ? (shown ? "共找到 " + shown + " 组联系人。" : "没有找到匹配的联系人。") : "";
      }
      input.addEventListener("input", apply);
      select.addEventListener("change", apply);
      apply();
    });
  }

  /* Material's search overlay is a role="dialog" without a name (axe: aria-dialog-name). */
  function nameSearchDialog() {
    var dialog = document.querySelector(".md-search[role='dialog']:not([aria-label])");
    if (dialog) dialog.setAttribute("aria-label", "搜索");
  }

  function init() {
    nameSearchDialog();
    setupValidity(document);
    setupStatus(document);
    setupAnnounce();
    setupDirectory(document);
  }

  if (typeof window.document$ !== "undefined") {
    window.document$.subscribe(init);  /* Material: every page view, instant navigation included */
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
