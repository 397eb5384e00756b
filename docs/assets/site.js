/* Site behaviour: the trial-period notice and the contact directory filter.
 * Plain script, no dependencies. Material's instant navigation swaps pages without a reload,
 * so everything is (re)attached through document$.subscribe, once per page view. */
(function () {
  "use strict";

  /* Today's date in Beijing (the policy's calendar), as YYYY-MM-DD. */
  function beijingToday() {
    var parts = new Intl.DateTimeFormat("en-CA", {
      timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit"
    }).formatToParts(new Date());
    var get = function (t) { return parts.filter(function (p) { return p.type === t; })[0].value; };
    return get("year") + "-" + get("month") + "-" + get("day");
  }

  function cnDate(iso) {
    var p = iso.split("-");
    return Number(p[0]) + "年" + Number(p[1]) + "月" + Number(p[2]) + "日";
  }

  function daysBetween(a, b) {  /* b - a, whole days, both YYYY-MM-DD */
    return Math.round((Date.UTC.apply(null, ymd(b)) - Date.UTC.apply(null, ymd(a))) / 864e5);
  }
  function ymd(iso) { var p = iso.split("-").map(Number); return [p[0], p[1] - 1, p[2]]; }

  /* The validity state for today: "before", "in-force" or "ended". */
  function validityState(start, end, today) {
    if (today < start) return "before";
    if (today > end) return "ended";
    return "in-force";
  }

  function validityText(state, start, end, today) {
    if (state === "ended") {
      return "试行期已于" + cnDate(end) + "届满。本措施是否延期、调整或由新政策接续，" +
        "请以主管部门的最新通知为准，申报前请向下列联系人确认。";
    }
    if (state === "before") {
      return "本措施将于" + cnDate(start) + "起实施。";
    }
    var left = daysBetween(today, end);
    return "今天（" + cnDate(today) + "）在试行期内，距试行期满还有 " + left + " 天。";
  }

  function setupValidity(root) {
    var today = beijingToday();
    var blocks = root.querySelectorAll("[data-fs-validity]");
    var state = null, start, end;
    blocks.forEach(function (el) {
      start = el.getAttribute("data-start");
      end = el.getAttribute("data-end");
      state = validityState(start, end, today);
      var status = el.querySelector("[data-fs-validity-status]");
      if (status) status.textContent = validityText(state, start, end, today);
      el.classList.remove("info", "warning", "success");
      el.classList.add(state === "in-force" ? "success" : "warning");
      el.setAttribute("data-state", state);
    });
  }

  /* Announcement bar on every page once the trial year is over (dates from the meta tag). */
  function setupAnnounce() {
    var meta = document.querySelector("meta[name=fs-validity]");
    var slot = document.querySelector("[data-fs-announce]");
    if (!meta || !slot) return;
    var p = meta.getAttribute("content").split("/");
    var state = validityState(p[0], p[1], beijingToday());
    slot.textContent = state === "ended"
      ? "提示：本措施试行期已于" + cnDate(p[1]) + "届满，是否延期请向主管部门确认。"
      : "";
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

      function covers(rowClauses, clause) {
        return rowClauses.split(" ").some(function (c) {
          return c === clause || clause.indexOf(c + ".") === 0 || c.indexOf(clause + ".") === 0;
        });
      }

      function apply() {
        var q = normalise(input.value), clause = select.value, shown = 0;
        rows.forEach(function (row) {
          var clauses = row.getAttribute("data-clauses");
          var okClause = !clause || (clauses !== null && covers(clauses, clause));
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
    setupAnnounce();
    setupDirectory(document);
  }

  if (typeof window.document$ !== "undefined") {
    window.document$.subscribe(init);  /* Material: every page view, instant navigation included */
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }

  window.fsValidity = { state: validityState, text: validityText };  /* for tests */
})();
